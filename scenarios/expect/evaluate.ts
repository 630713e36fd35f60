import type { TraceEvent } from '../../mock-server/trace/events.ts';
import type { Expectation, JobFilter, JobState } from '../model.ts';
import { COUNT_RE } from '../schema/validate.ts';
import { jobFacts, type JobFact } from './job-facts.ts';
import { describeJob, formatEvent, participantKindName, type AliasOf } from './trace-lines.ts';

export interface Names {
  /** Worker alias → every worker id it registered under. */
  workerIds(alias: string): string[];
  aliasOf: AliasOf;
  /** Dispatch alias (or a literal AD_ id) → dispatch id. */
  dispatchId(ref: string): string;
}

export interface Evaluation {
  count: number;
  /** The count rule holds right now. */
  ok: boolean;
  expected: string;
  seen: string;
  lines: string[];
}

export interface CountRule {
  op: '=' | '>=' | '<=' | '>' | '<';
  n: number;
}

export function parseCount(c: number | string): CountRule {
  if (typeof c === 'number') return { op: '=', n: c };
  const m = COUNT_RE.exec(c.trim())!;
  return { op: (m[1] ?? '=') as CountRule['op'], n: Number(m[2]) };
}

export const holds = (r: CountRule, count: number) =>
  r.op === '=' ? count === r.n : r.op === '>=' ? count >= r.n : r.op === '<=' ? count <= r.n : r.op === '>' ? count > r.n : count < r.n;

/** An upper bound (0, ≤N, <N) can only be shown by waiting; everything else is shown once it holds. */
export const isUpperBound = (r: CountRule) => (r.op === '=' && r.n === 0) || r.op === '<=' || r.op === '<';

const countText = (r: CountRule) => (r.op === '=' ? `exactly ${r.n}` : `${r.op} ${r.n}`);
const MAX_LINES = 40;

export function evaluate(e: Expectation, events: readonly TraceEvent[], names: Names): Evaluation {
  const t0 = events[0]?.at ?? 0;
  const line = (ev: TraceEvent) => formatEvent(ev, t0, names.aliasOf);
  if ('jobs' in e) return evaluateJobs(e, parseCount(e.jobs), events, names, line);
  let rule: CountRule;
  let what: string;
  let matches: TraceEvent[];
  let context: TraceEvent[];
  const inWorker = (alias: string | undefined, id: string | undefined) => alias === undefined || (id !== undefined && names.workerIds(alias).includes(id));
  const has = (sub: string | undefined, text: string | undefined) => sub === undefined || (text ?? '').includes(sub);
  if ('marks' in e) {
    rule = parseCount(e.marks);
    what = describe(e.distinct ? `distinct "${e.distinct}" value(s) of marks` : 'mark(s)', { name: e.name, worker: e.worker, data: e.data && JSON.stringify(e.data) });
    context = events.filter((x) => x.kind === 'mark');
    matches = context.filter(
      (x) =>
        x.kind === 'mark' &&
        (e.name === undefined || x.name === e.name) &&
        inWorker(e.worker, x.workerId) &&
        Object.entries(e.data ?? {}).every(([k, v]) => JSON.stringify(x.data[k]) === JSON.stringify(v)),
    );
  } else if ('participants' in e) {
    rule = parseCount(e.participants);
    const kind = `participant.${e.event ?? 'joined'}`;
    what = describe(`participant ${e.event ?? 'joined'} event(s)`, { room: e.room, identity: e.identity, kind: e.kind, first: e.first, reason: e.reason });
    context = events.filter((x) => x.kind.startsWith('participant.') && x.kind !== 'participant.updated');
    matches = context.filter((x) => {
      if (x.kind !== kind) return false;
      const p = x as TraceEvent & { room: string; identity: string };
      if (e.room !== undefined && p.room !== e.room) return false;
      if (e.identity !== undefined && p.identity !== e.identity) return false;
      if (e.kind !== undefined && (x.kind !== 'participant.joined' || participantKindName(x.participantKind) !== e.kind.toLowerCase())) return false;
      if (e.first !== undefined && (x.kind !== 'participant.published' || x.first !== e.first)) return false;
      return e.reason === undefined || (x.kind === 'participant.left' && x.reason.includes(e.reason));
    });
  } else if ('workers' in e) {
    rule = parseCount(e.workers);
    const kind = `worker.${e.event ?? 'registered'}`;
    what = describe(`worker ${e.event ?? 'registered'} event(s)`, { worker: e.worker, agentName: e.agentName, jobType: e.jobType, status: e.status, reason: e.reason });
    context = events.filter((x) => x.kind === 'worker.registered' || x.kind === 'worker.closed' || x.kind === 'worker.status');
    matches = context.filter((x) => {
      if (x.kind !== kind) return false;
      const w = x as TraceEvent & { workerId?: string };
      if (!inWorker(e.worker, w.workerId)) return false;
      if (e.agentName !== undefined && (x.kind !== 'worker.registered' || x.agentName !== e.agentName)) return false;
      if (e.jobType !== undefined && (x.kind !== 'worker.registered' || x.jobType !== e.jobType)) return false;
      if (e.status !== undefined && (x.kind !== 'worker.status' || x.status !== e.status)) return false;
      return e.reason === undefined || (x.kind === 'worker.closed' && x.reason.includes(e.reason));
    });
  } else if ('rooms' in e) {
    rule = parseCount(e.rooms);
    const kind = `room.${e.event ?? 'created'}`;
    what = describe(`room ${e.event ?? 'created'} event(s)`, { room: e.room, reason: e.reason, via: e.via });
    context = events.filter((x) => x.kind === 'room.created' || x.kind === 'room.closed');
    matches = context.filter(
      (x) =>
        x.kind === kind &&
        (e.room === undefined || (x as { room: string }).room === e.room) &&
        has(e.reason, x.kind === 'room.closed' ? x.reason : undefined) &&
        (e.via === undefined || (x.kind === 'room.created' && x.via === e.via)),
    );
  } else {
    rule = parseCount(e.dispatches);
    const kind = `dispatch.${e.event ?? 'created'}`;
    what = describe(`dispatch ${e.event ?? 'created'} event(s)`, { room: e.room, agentName: e.agentName, source: e.source });
    context = events.filter((x) => x.kind === 'dispatch.created' || x.kind === 'dispatch.deleted');
    matches = context.filter(
      (x) =>
        x.kind === kind &&
        (e.room === undefined || (x as { room: string }).room === e.room) &&
        (e.agentName === undefined || (x as { agentName: string }).agentName === e.agentName) &&
        (e.source === undefined || (x.kind === 'dispatch.created' && x.source === e.source)),
    );
  }
  // `distinct` counts values, not marks: three entry marks with three different pids are three processes.
  const count = 'marks' in e && e.distinct ? distinctValues(matches, e.distinct) : matches.length;
  return {
    count,
    ok: holds(rule, count),
    expected: `${countText(rule)} ${what}`,
    seen: `${count} matching${count ? `: ${matches.slice(0, 5).map((m) => line(m).trim()).join('; ')}` : ''}`,
    lines: context.slice(-MAX_LINES).map(line),
  };
}

function distinctValues(marks: TraceEvent[], field: string): number {
  return new Set(marks.map((m) => (m.kind === 'mark' ? JSON.stringify(m.data[field]) : undefined)).filter((v) => v !== undefined)).size;
}

function evaluateJobs(e: JobFilter, rule: CountRule, events: readonly TraceEvent[], names: Names, line: (e: TraceEvent) => string): Evaluation {
  const facts = jobFacts(events);
  const state: JobState | undefined = e.outcome ?? (e.reason === undefined ? 'offered' : undefined);
  const ids = (alias: string | undefined) => (alias === undefined ? undefined : names.workerIds(alias));
  const [worker, offeredTo, rejectedBy] = [ids(e.worker), ids(e.offeredTo), ids(e.rejectedBy)];
  const dispatch = e.dispatch === undefined ? undefined : names.dispatchId(e.dispatch);
  // Jobs that fit everything but the state/worker: the context a failure message needs.
  const related = facts.filter(
    (j) =>
      (e.room === undefined || j.room === e.room) &&
      (e.type === undefined || j.jobType === e.type) &&
      (e.agentName === undefined || j.agentName === e.agentName) &&
      (e.namespace === undefined || j.namespace === e.namespace) &&
      (e.participant === undefined || j.participantIdentity === e.participant) &&
      (dispatch === undefined || j.dispatchId === dispatch),
  );
  const matches = related.filter(
    (j) =>
      (state === undefined || inState(j, state)) &&
      (worker === undefined || (j.workerId !== undefined && worker.includes(j.workerId))) &&
      (offeredTo === undefined || j.offeredTo.some((w) => offeredTo.includes(w))) &&
      (rejectedBy === undefined || j.rejectedBy.some((w) => rejectedBy.includes(w))) &&
      (e.status === undefined || j.status === e.status) &&
      (e.reason === undefined || (j.reason ?? '').includes(e.reason)),
  );
  const what = describe(`job(s)${state ? ` ${state}` : ''}`, {
    type: e.type,
    room: e.room,
    agentName: e.agentName,
    namespace: e.namespace,
    participant: e.participant,
    dispatch: e.dispatch,
    worker: e.worker,
    offeredTo: e.offeredTo,
    rejectedBy: e.rejectedBy,
    status: e.status,
    reason: e.reason && `~"${e.reason}"`,
  });
  const shown = (related.length ? related : facts).slice(-MAX_LINES);
  const registered = events.filter((x) => x.kind === 'worker.registered' || x.kind === 'worker.closed' || x.kind === 'worker.status').map(line);
  return {
    count: matches.length,
    ok: holds(rule, matches.length),
    expected: `${countText(rule)} ${what}`,
    seen: `${matches.length} matching of ${facts.length} job(s) in the trace${matches.length ? `: ${matches.slice(0, 5).map((j) => j.jobId).join(', ')}` : ''}`,
    lines: [...registered.slice(-10), ...(shown.length ? shown.map((j) => `job ${describeJob(j, names.aliasOf)}`) : ['(no jobs in the trace)'])],
  };
}

function inState(j: JobFact, s: JobState): boolean {
  if (s === 'offered') return j.offeredTo.length > 0;
  if (s === 'assigned') return j.assignedTo !== undefined;
  if (s === 'open') return j.assignedTo !== undefined && j.outcome === undefined;
  return j.outcome === s;
}

function describe(noun: string, filters: Record<string, unknown>): string {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v)}`);
  return parts.length ? `${noun} with ${parts.join(' ')}` : noun;
}
