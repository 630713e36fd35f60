import type { JobOutcome, JobStatusName, TraceEvent } from '../mock-server/trace/events.ts';
import type { JobFact, NormalizedJobOutcome, NormalizedOutcome, WorkerFact } from './outcome.ts';

export interface NormalizeOptions {
  /** Maps room names before comparing (for runs that prefix room names per target). */
  roomName?: (name: string) => string;
}

interface JobDraft extends Omit<JobFact, 'key' | 'outcome'> {
  ended?: JobOutcome;
}

/**
 * Reduces a trace (mock or wire tap) to outcome-level facts. Ignored: ids, times, `log` events,
 * `job.ended` with outcome `dropped` (only the mock sees those), load reports, mock-only diagnostics.
 */
export function normalizeTrace(events: readonly TraceEvent[], opts: NormalizeOptions = {}): NormalizedOutcome {
  const room = opts.roomName ?? ((r: string) => r);
  const workers: WorkerFact[] = [];
  const labelOf = new Map<string, string>();
  const jobs = new Map<string, JobDraft>();
  const people = new ParticipantHistories();
  const apiCalls: string[] = [];
  const label = (workerId?: string) => (workerId ? (labelOf.get(workerId) ?? 'unregistered worker') : 'unknown worker');

  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    switch (e.kind) {
      case 'worker.registered': {
        const base = `"${e.agentName}"/${e.jobType}${e.namespace ? ` ns="${e.namespace}"` : ''}${e.deployment ? ` dep="${e.deployment}"` : ''}`;
        const n = workers.filter((w) => w.label.startsWith(`${base}#`)).length + 1;
        const fact = { label: `${base}#${n}`, agentName: e.agentName, jobType: e.jobType, namespace: e.namespace, deployment: e.deployment, closed: false };
        workers.push(fact);
        labelOf.set(e.workerId, fact.label);
        break;
      }
      case 'worker.closed': {
        const w = e.workerId ? workers.find((x) => x.label === labelOf.get(e.workerId!)) : undefined;
        if (w) w.closed = true;
        break;
      }
      case 'job.created':
        jobs.set(e.jobId, {
          room: room(e.room),
          jobType: e.jobType,
          agentName: e.agentName,
          namespace: e.namespace,
          ...(e.participantIdentity ? { participantIdentity: e.participantIdentity } : {}),
          offeredTo: [],
          rejectedBy: [],
          reported: [],
          terminations: 0,
        });
        break;
      case 'job.offered':
        jobs.get(e.jobId)?.offeredTo.push(label(e.workerId));
        break;
      case 'job.rejected':
        jobs.get(e.jobId)?.rejectedBy.push(label(e.workerId));
        break;
      case 'job.assigned': {
        const j = jobs.get(e.jobId);
        if (j) j.assignedTo = label(e.workerId);
        break;
      }
      case 'job.status':
        jobs.get(e.jobId)?.reported.push(e.status);
        break;
      case 'job.ended': {
        const j = jobs.get(e.jobId);
        if (!j || e.outcome === 'dropped') break;
        j.ended = e.outcome;
        if ((e.outcome === 'declined' || e.outcome === 'completed') && e.status) j.endStatus = e.status;
        break;
      }
      case 'worker.message': {
        if (e.direction !== 'out') break;
        const m = e.message as { job?: { id?: string; state?: { status?: JobStatusName } }; jobId?: string };
        if (e.case === 'assignment' && m.job?.id) {
          const j = jobs.get(m.job.id);
          if (j) j.assignedState = m.job.state?.status ?? 'JS_PENDING';
        }
        if (e.case === 'termination' && m.jobId) {
          const j = jobs.get(m.jobId);
          if (j) j.terminations++;
        }
        break;
      }
      case 'participant.joined':
        people.event(room(e.room), e.identity, 'joined', e.participantKind);
        break;
      case 'participant.published':
        if (e.first) people.event(room(e.room), e.identity, 'published (first track)');
        break;
      case 'participant.left':
        people.event(room(e.room), e.identity, 'left');
        break;
      case 'api.call':
        if (e.method === 'ListDispatch') break; // a read the harness polls (listDispatch step): its count means nothing
        apiCalls.push(`${e.service}.${e.method}${e.room ? ` room=${room(e.room)}` : ''} → ${e.status}${e.code ? ` ${e.code}` : ''}`);
        break;
      default:
        break;
    }
  }

  return { workers, jobs: finishJobs([...jobs.values()]), participants: people.lines(), apiCalls };
}

const AGENT_KINDS = new Set(['4', 'AGENT']);

/**
 * Each participant's own sequence of events, one line per participant, sorted. Only the order within a
 * participant is compared: on a real server the harness sees departures through separate sockets (and
 * Room.Close walks a Go map), so the interleaving across participants is not an outcome. Agent identities
 * are chosen by workers from random job ids, so agents are named by their order of joining their room.
 */
class ParticipantHistories {
  readonly #byKey = new Map<string, { label: string; events: string[] }>();
  readonly #agentsPerRoom = new Map<string, number>();

  event(room: string, identity: string, what: string, kind?: string): void {
    const key = `${room}\u0000${identity}`;
    let h = this.#byKey.get(key);
    if (!h) {
      const isAgent = kind !== undefined && AGENT_KINDS.has(kind);
      const n = isAgent ? (this.#agentsPerRoom.get(room) ?? 0) + 1 : 0;
      if (isAgent) this.#agentsPerRoom.set(room, n);
      h = { label: `room=${room} ${isAgent ? `agent#${n}` : `identity=${identity}`}${kind !== undefined ? ` kind=${kind}` : ''}`, events: [] };
      this.#byKey.set(key, h);
    }
    h.events.push(what);
  }

  lines(): string[] {
    return [...this.#byKey.values()].map((h) => `${h.label}: ${h.events.join(' → ')}`).sort();
  }
}

function finishJobs(drafts: JobDraft[]): JobFact[] {
  const seen = new Map<string, number>();
  const out: JobFact[] = [];
  for (const { ended, ...d } of drafts) {
    const outcome = deriveOutcome(d, ended);
    if (!outcome) continue; // never reached a worker: the real server would not show it at all
    const base = `room="${d.room}" ${d.jobType} agent="${d.agentName}"${d.namespace ? ` ns="${d.namespace}"` : ''}${d.participantIdentity ? ` for="${d.participantIdentity}"` : ''}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.push({ key: `${base} #${n}`, ...d, outcome });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function deriveOutcome(d: Omit<JobDraft, 'ended'>, ended: JobOutcome | undefined): NormalizedJobOutcome | undefined {
  // 'abandoned' is the mock's explanation for a job nothing ever ended; on the wire it is still running
  if (ended && ended !== 'dropped' && ended !== 'abandoned') return ended;
  if (d.assignedTo) return 'running';
  if (d.offeredTo.length === 0) return undefined;
  // every offer answered available:false → rejected; an offer left unanswered → timed out
  return d.rejectedBy.length >= d.offeredTo.length ? 'rejected' : 'timed_out';
}
