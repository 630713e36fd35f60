import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { jobFacts } from '../expect/job-facts.ts';
import { participantKindName } from '../expect/trace-lines.ts';

export type Tone = 'normal' | 'good' | 'bad' | 'warn' | 'fault' | 'muted';

/** One row of the sequence diagram: an arrow between two lanes, or a note on one lane. */
export type Row =
  | { at: number; kind: 'arrow'; from: string; to: string; label: string; detail: string; tone: Tone }
  | { at: number; kind: 'note'; lane: string; label: string; detail: string; tone: Tone };

export interface DiagramModel {
  lanes: { id: string; title: string; role: 'api' | 'participant' | 'server' | 'worker' }[];
  rows: Row[];
  t0: number;
  truncated: number;
}

const SERVER = 'server';
const API = 'api';
const MAX_ROWS = 250;

/**
 * Turns a trace into lanes and rows: API calls and participants on the left, the server in the middle,
 * workers on the right. Chatty events (raw frames, logs) are left out; the trace listing has them.
 */
export function diagramModel(events: readonly TraceEvent[], aliases: Record<string, string>): DiagramModel {
  const worker = (id: string | undefined) => `w:${id ? (aliases[id] ?? id) : '?'}`;
  const jobWorker = new Map(jobFacts(events).map((j) => [j.jobId, j.workerId]));
  const participants: string[] = [];
  const workers: string[] = [];
  const seenLane = (list: string[], id: string) => void (list.includes(id) || list.push(id));
  const agentIdentities = new Set<string>();
  const rows: Row[] = [];
  const arrow = (at: number, from: string, to: string, label: string, tone: Tone = 'normal', detail = label) => rows.push({ at, kind: 'arrow', from, to, label, detail, tone });
  const note = (at: number, lane: string, label: string, tone: Tone = 'muted', detail = label) => rows.push({ at, kind: 'note', lane, label, detail, tone });
  const short = (jobId: string) => jobId.slice(0, 7);
  let usesApi = false;

  for (const e of events) {
    switch (e.kind) {
      case 'api.call':
        usesApi = true;
        arrow(e.at, API, SERVER, `${e.method}${e.room ? ` ${e.room}` : ''}`, e.status === 200 ? 'normal' : 'bad', `${e.service}/${e.method} → ${e.status} ${e.code ?? ''}`);
        break;
      case 'participant.joined': {
        const kind = participantKindName(e.participantKind);
        if (kind === 'agent') agentIdentities.add(e.identity);
        seenLane(participants, e.identity);
        arrow(e.at, `p:${e.identity}`, SERVER, `join ${e.room}${kind !== 'standard' ? ` (${kind})` : ''}`);
        break;
      }
      case 'participant.published':
        seenLane(participants, e.identity);
        arrow(e.at, `p:${e.identity}`, SERVER, `publish${e.first ? ' (first)' : ''}`);
        break;
      case 'participant.left':
        seenLane(participants, e.identity);
        if (e.reason === 'CLIENT_INITIATED') arrow(e.at, `p:${e.identity}`, SERVER, 'leave');
        else arrow(e.at, SERVER, `p:${e.identity}`, `removed: ${e.reason}`, 'warn');
        break;
      case 'worker.registered':
        seenLane(workers, worker(e.workerId));
        arrow(e.at, worker(e.workerId), SERVER, `register ${e.jobType}${e.agentName ? ` "${e.agentName}"` : ''}${e.namespace ? ` ns ${e.namespace}` : ''}`);
        break;
      case 'worker.status':
        arrow(e.at, worker(e.workerId), SERVER, `status ${e.status.replace('WS_', '')} load ${Math.round(e.load * 100) / 100}`, e.status === 'WS_FULL' ? 'warn' : 'normal');
        break;
      case 'worker.closed':
        if (e.workerId) note(e.at, worker(e.workerId), `closed: ${e.reason}`, 'bad');
        break;
      case 'room.created':
        note(e.at, SERVER, `room ${e.room} created (${e.via})`);
        break;
      case 'room.closed':
        note(e.at, SERVER, `room ${e.room} closed: ${e.reason}`, 'warn');
        break;
      case 'dispatch.created':
        note(e.at, SERVER, `dispatch "${e.agentName}" (${e.source})`, 'muted', `${e.dispatchId} agent "${e.agentName}" in ${e.room} (${e.source})`);
        break;
      case 'dispatch.deleted':
        note(e.at, SERVER, `dispatch "${e.agentName}" deleted`, 'warn');
        break;
      case 'job.created':
        note(e.at, SERVER, `job ${short(e.jobId)} ${e.jobType}${e.participantIdentity ? ` for ${e.participantIdentity}` : ''}`, 'muted', `${e.jobId} ${e.jobType} room ${e.room} agent "${e.agentName}"`);
        break;
      case 'job.offered':
        arrow(e.at, SERVER, worker(e.workerId), `AvailabilityRequest ${short(e.jobId)}`);
        break;
      case 'job.rejected':
        arrow(e.at, worker(e.workerId), SERVER, `available: false ${short(e.jobId)}`, 'warn');
        break;
      case 'job.assigned':
        arrow(e.at, SERVER, worker(e.workerId), `JobAssignment ${short(e.jobId)}`, 'good', `${e.jobId} as ${e.participantIdentity}`);
        break;
      case 'job.ended': {
        const w = e.workerId ?? jobWorker.get(e.jobId);
        const text = `${short(e.jobId)} ${e.outcome.toUpperCase()}: ${e.reason}`;
        if (e.outcome === 'terminated' && w) arrow(e.at, SERVER, worker(w), `JobTermination ${short(e.jobId)} (${e.status})`, 'warn', text);
        else if (e.outcome === 'declined' && w) arrow(e.at, worker(w), SERVER, `terminate: true ${short(e.jobId)}`, 'warn', text);
        else if (e.outcome === 'completed' && w) arrow(e.at, worker(w), SERVER, `UpdateJobStatus ${e.status}`, e.status === 'JS_FAILED' ? 'bad' : 'good', text);
        else note(e.at, SERVER, text, e.outcome === 'abandoned' ? 'muted' : 'bad', `${e.jobId} ${e.outcome}: ${e.reason}`);
        break;
      }
      case 'mark': {
        const w = e.workerId ?? (e.jobId ? jobWorker.get(e.jobId) : undefined);
        // Marks from a job process the trace cannot tie to a worker (prewarm) still show, labelled by source.
        note(e.at, w ? worker(w) : SERVER, w ? `mark ${e.name}` : `${e.source}: ${e.name}`, 'good', `${e.name} ${JSON.stringify(e.data)}`);
        break;
      }
      case 'fault.applied':
        note(e.at, SERVER, `fault ${e.fault} → ${e.target}`, 'fault');
        break;
      default:
        break;
    }
  }
  const lanes: DiagramModel['lanes'] = [];
  if (usesApi) lanes.push({ id: API, title: 'API caller', role: 'api' });
  for (const p of participants.filter((x) => !agentIdentities.has(x))) lanes.push({ id: `p:${p}`, title: p, role: 'participant' });
  for (const p of participants.filter((x) => agentIdentities.has(x))) lanes.push({ id: `p:${p}`, title: p, role: 'participant' });
  lanes.push({ id: SERVER, title: 'livekit server', role: 'server' });
  for (const w of workers) lanes.push({ id: w, title: `worker ${w.slice(2)}`, role: 'worker' });
  // Lanes referenced but never introduced (a worker closed before registering) still need a column.
  for (const r of rows) for (const id of r.kind === 'arrow' ? [r.from, r.to] : [r.lane]) if (!lanes.some((l) => l.id === id)) lanes.push({ id, title: id.replace(/^[wp]:/, ''), role: id.startsWith('p:') ? 'participant' : 'worker' });
  return { lanes, rows: rows.slice(0, MAX_ROWS), t0: events[0]?.at ?? 0, truncated: Math.max(0, rows.length - MAX_ROWS) };
}
