import type { ServerMessage, WorkerMessage } from '@livekit/protocol';
import type { Clock } from '../core/clock.ts';
import type { WorkerSession } from '../agent/worker-session.ts';
import type { Trace } from '../trace/trace.ts';
import { isParticipantTarget, type Fault, type FaultDirection, type FaultTarget } from './fault.ts';

/** The participant a signal socket belongs to, as a fault target names it. */
export interface SignalPeer {
  room: string;
  identity: string;
}

/** Closes the signal sockets a participant target matches; returns how many (the /rtc extension provides it). */
export type ParticipantCloser = (target: FaultTarget, abrupt: boolean) => number;

const matchesWorker = (t: FaultTarget | undefined, s: WorkerSession | undefined) =>
  !isParticipantTarget(t) && (!t || ((t.workerId === undefined || t.workerId === s?.workerId) && (t.agentName === undefined || t.agentName === s?.registered?.key.agentName)));

/** A participant identity, or a prefix ending in `*` (`agent-*`: an agent, whose identity the worker picks). */
const matchesIdentity = (want: string, identity: string) => (want.endsWith('*') ? identity.startsWith(want.slice(0, -1)) : want === identity);

export const matchesParticipant = (t: FaultTarget | undefined, p: SignalPeer) =>
  isParticipantTarget(t) && (t!.room === undefined || t!.room === p.room) && (t!.participant === undefined || matchesIdentity(t!.participant, p.identity));

const matchesDirection = (d: FaultDirection, want: 'in' | 'out') => d === 'both' || d === want;

/** Applies the active message faults to each frame of each worker socket and each participant's signal socket. */
export class FaultGate {
  readonly #faults = new Map<string, Fault>();
  readonly #participantClosers = new Set<ParticipantCloser>();

  constructor(
    private readonly clock: Clock,
    private readonly trace: Trace,
  ) {}

  add(fault: Fault): void {
    this.#faults.set(fault.name, fault);
  }

  remove(name: string): boolean {
    return this.#faults.delete(name);
  }

  reset(): void {
    this.#faults.clear();
  }

  list(): Fault[] {
    return [...this.#faults.values()];
  }

  inbound(session: WorkerSession | undefined, message: WorkerMessage, deliver: () => void): void {
    this.#apply((t) => matchesWorker(t, session), () => session?.workerId ?? 'unregistered', 'in', message.message.case ?? '', deliver);
  }

  outbound(session: WorkerSession | undefined, message: ServerMessage, deliver: () => void): void {
    this.#apply((t) => matchesWorker(t, session), () => session?.workerId ?? 'unregistered', 'out', message.message.case ?? '', deliver);
  }

  /** A SignalRequest from `peer` ('in'), or a SignalResponse to it ('out'), by its oneof case. */
  signal(peer: SignalPeer, direction: 'in' | 'out', kase: string, deliver: () => void): void {
    if (this.#faults.size === 0) return deliver(); // the common case: no lookup per frame
    this.#apply((t) => matchesParticipant(t, peer), () => `${peer.room}/${peer.identity}`, direction, kase, deliver);
  }

  /** The /rtc extension registers how to close signal sockets; returns the unregister function. */
  onCloseParticipants(closer: ParticipantCloser): () => void {
    this.#participantClosers.add(closer);
    return () => this.#participantClosers.delete(closer);
  }

  closeParticipants(target: FaultTarget, abrupt: boolean): number {
    let n = 0;
    for (const close of this.#participantClosers) n += close(target, abrupt);
    return n;
  }

  #apply(matches: (t: FaultTarget | undefined) => boolean, who: () => string, direction: 'in' | 'out', kase: string, deliver: () => void): void {
    let delay = 0;
    for (const f of this.#faults.values()) {
      if (!matches(f.target)) continue;
      const applies = (dir: FaultDirection, messages?: string[]) =>
        matchesDirection(dir, direction) && (!messages?.length || messages.includes(kase));
      const dropped =
        (f.type === 'drop' && applies(f.direction, f.messages)) ||
        (f.type === 'stall_availability' && direction === 'in' && kase === 'availability');
      if (dropped) {
        this.trace.record({ kind: 'fault.applied', fault: f.name, target: `${who()} ${direction} ${kase}` });
        return;
      }
      if (f.type === 'delay' && applies(f.direction, f.messages)) delay = Math.max(delay, f.ms);
    }
    if (delay > 0) this.clock.setTimer(delay, deliver);
    else deliver();
  }
}
