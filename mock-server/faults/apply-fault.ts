import type { FaultGate } from './fault-gate.ts';
import { ACTION_FAULTS, isParticipantTarget, type Fault, type FaultTarget } from './fault.ts';

/** What applying a fault needs from the server. */
export interface FaultHost {
  readonly faults: FaultGate;
  /** Closes every worker socket the target matches; returns how many. */
  closeWorkers(target: FaultTarget | undefined, abrupt: boolean): number;
  restart(): void;
}

export interface FaultApplied {
  fault: Fault;
  /** 'standing' faults stay until removed; 'action' faults acted once. */
  kind: 'standing' | 'action';
  /** Sockets closed by a close fault (worker sockets, or signal sockets for a participant target). */
  affected?: number;
}

/** The one way faults take effect, for the control API and scenarios alike. */
export function applyFault(host: FaultHost, fault: Fault): FaultApplied {
  if (!ACTION_FAULTS.has(fault.type)) {
    host.faults.add(fault);
    return { fault, kind: 'standing' };
  }
  if (fault.type === 'close') {
    // a participant target closes /rtc signal sockets (through the gate, which the /rtc extension serves)
    const affected = isParticipantTarget(fault.target) ? host.faults.closeParticipants(fault.target!, fault.abrupt) : host.closeWorkers(fault.target, fault.abrupt);
    return { fault, kind: 'action', affected };
  }
  host.restart();
  return { fault, kind: 'action' };
}
