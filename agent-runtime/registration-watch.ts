import type { JobTypeName, TraceEvent, TraceEventOf } from '../mock-server/trace/events.ts';
import type { TargetTrace } from '../targets/livekit-target.ts';

type Registered = TraceEventOf<'worker.registered'>;

/** Registrations already claimed by a launched worker, per trace, so two workers with the same name never take the same one. */
const claimed = new WeakMap<TargetTrace, Set<number>>();

/** The highest sequence number in the trace right now: registrations at or below it predate the spawn. */
export function traceMark(trace: TargetTrace): number {
  const events = trace.events();
  return events.length ? events[events.length - 1]!.seq : 0;
}

export interface RegistrationMatch {
  agentName: string;
  jobType: JobTypeName;
  /** Only registrations recorded after this sequence number count. */
  afterSeq: number;
}

/**
 * Resolves with the first unclaimed `worker.registered` event that matches and came after the spawn,
 * and claims it. Later re-registrations (reconnects) are not tracked here. `cancel()` stops listening.
 */
export function claimRegistration(
  trace: TargetTrace,
  match: RegistrationMatch,
): { promise: Promise<Registered>; cancel: (reason: Error) => void } {
  let set = claimed.get(trace);
  if (!set) claimed.set(trace, (set = new Set()));
  const taken = set;
  let off = () => {};
  let rejectFn: (e: Error) => void = () => {};
  const matches = (e: TraceEvent): e is Registered =>
    e.kind === 'worker.registered' &&
    e.seq > match.afterSeq &&
    !taken.has(e.seq) &&
    e.agentName === match.agentName &&
    e.jobType === match.jobType;
  const promise = new Promise<Registered>((resolve, reject) => {
    rejectFn = reject;
    const take = (e: Registered) => {
      taken.add(e.seq);
      off();
      resolve(e);
    };
    off = trace.onEvent((e) => {
      if (matches(e)) take(e);
    });
    const existing = trace.events().find(matches);
    if (existing) take(existing);
  });
  return {
    promise,
    cancel: (reason) => {
      off();
      rejectFn(reason);
    },
  };
}

/** The worker id an official runtime logs when it registers ("registered worker" with `id`, Node and Python alike). */
export function registeredIdInLog(text: string): string | undefined {
  if (!text.includes('registered worker')) return undefined;
  return /"id"\s*:\s*"(AW_[0-9A-Za-z]+)"/.exec(text)?.[1];
}

/**
 * Resolves with the `worker.registered` event of a known worker id (from the worker's own log), so two
 * workers with the same agent name and type can never swap registrations.
 */
export function registrationById(trace: TargetTrace, workerId: Promise<string>): { promise: Promise<Registered>; cancel: (reason: Error) => void } {
  let off = () => {};
  let rejectFn: (e: Error) => void = () => {};
  const promise = new Promise<Registered>((resolve, reject) => {
    rejectFn = reject;
    void workerId.then((id) => {
      const matches = (e: TraceEvent): e is Registered => e.kind === 'worker.registered' && e.workerId === id;
      off = trace.onEvent((e) => {
        if (matches(e)) {
          off();
          resolve(e);
        }
      });
      const existing = trace.events().find(matches);
      if (existing) {
        off();
        resolve(existing);
      }
    }, reject);
  });
  return {
    promise,
    cancel: (reason) => {
      off();
      rejectFn(reason);
    },
  };
}
