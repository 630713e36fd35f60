import type { ServerMessage, WorkerMessage } from '@livekit/protocol';
import type { Clock } from '../core/clock.ts';
import type { WorkerSession } from '../agent/worker-session.ts';
import type { Trace } from '../trace/trace.ts';
import type { Fault, FaultDirection, FaultTarget } from './fault.ts';

const matchesTarget = (t: FaultTarget | undefined, s: WorkerSession | undefined) =>
  !t || ((t.workerId === undefined || t.workerId === s?.workerId) && (t.agentName === undefined || t.agentName === s?.key?.agentName));

const matchesDirection = (d: FaultDirection, want: 'in' | 'out') => d === 'both' || d === want;

/** Applies the active message faults to each frame of each worker socket. */
export class FaultGate {
  readonly #faults = new Map<string, Fault>();

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
    this.#apply(session, 'in', message.message.case ?? '', deliver);
  }

  outbound(session: WorkerSession | undefined, message: ServerMessage, deliver: () => void): void {
    this.#apply(session, 'out', message.message.case ?? '', deliver);
  }

  #apply(session: WorkerSession | undefined, direction: 'in' | 'out', kase: string, deliver: () => void): void {
    let delay = 0;
    for (const f of this.#faults.values()) {
      if (!matchesTarget(f.target, session)) continue;
      const applies = (dir: FaultDirection, messages?: string[]) =>
        matchesDirection(dir, direction) && (!messages?.length || messages.includes(kase));
      const dropped =
        (f.type === 'drop' && applies(f.direction, f.messages)) ||
        (f.type === 'stall_availability' && direction === 'in' && kase === 'availability');
      if (dropped) {
        this.trace.record({ kind: 'fault.applied', fault: f.name, target: `${session?.workerId ?? 'unregistered'} ${direction} ${kase}` });
        return;
      }
      if (f.type === 'delay' && applies(f.direction, f.messages)) delay = Math.max(delay, f.ms);
    }
    if (delay > 0) this.clock.setTimer(delay, deliver);
    else deliver();
  }
}
