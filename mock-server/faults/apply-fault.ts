import type { FaultGate } from './fault-gate.ts';
import { ACTION_FAULTS, type Fault, type FaultTarget } from './fault.ts';

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
  /** Sockets closed by a close fault. */
  affected?: number;
}

/** The one way faults take effect, for the control API and scenarios alike. */
export function applyFault(host: FaultHost, fault: Fault): FaultApplied {
  if (!ACTION_FAULTS.has(fault.type)) {
    host.faults.add(fault);
    return { fault, kind: 'standing' };
  }
  if (fault.type === 'close') return { fault, kind: 'action', affected: host.closeWorkers(fault.target, fault.abrupt) };
  host.restart();
  return { fault, kind: 'action' };
}
