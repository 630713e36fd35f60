import { startMockServer } from '../mock-server/index.ts';
import { Rng } from './rng.ts';
import { sleep } from '../agent-runtime/wait-for.ts';
import { AGENT_NAMES, churnWorker, type ChurnState } from './soak-worker.ts';
import { adminToken, workerToken } from './tokens.ts';

export interface SoakOptions {
  workers: number;
  dispatches: number;
  seed: number;
  /** Rooms in rotation; each is deleted now and then and comes back with its next dispatch. */
  rooms?: number;
  /** Dispatch requests in flight at once. */
  concurrency?: number;
  /** Give up (and report a failure) after this long. */
  maxMs?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  workers: number;
  dispatchesRequested: number;
  dispatchesAccepted: number;
  roomsDeleted: number;
  connections: number;
  registrations: number;
  loadReports: number;
  jobsCreated: number;
  jobsEnded: number;
  /** Jobs with no recorded end, or more than one. */
  jobsLost: number;
  jobsEndedTwice: number;
  outcomes: Record<string, number>;
  openJobsAfterWorkersLeft: number;
  registryAfterClose: { sessions: number; workers: number; rooms: number; openJobs: number };
  heapBaselineMb: number;
  heapAfterMb: number;
  heapPeakMb: number;
  handlesBaseline: number;
  handlesAfter: number;
  elapsedMs: number;
  failures: string[];
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const heapMb = () => process.memoryUsage().heapUsed / 1024 / 1024;
const handles = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout' && r !== 'Immediate').length;

async function waitFor(check: () => string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = check();
    if (!reason || Date.now() > deadline) return reason;
    await sleep(25);
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(50);
  }
}

/**
 * Protocol-level workers churning against the mock while dispatches run and rooms open and close; then
 * every worker leaves and the invariants are read: every job has exactly one end, nothing is left in the
 * registry, memory and open handles are back near where they started. All on 127.0.0.1, bounded by
 * the counts given and by `maxMs`.
 */
export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const deadline = started + (opts.maxMs ?? 600_000);
  const failures: string[] = [];
  await settle();
  const heapBaselineMb = heapMb();
  const handlesBaseline = handles();
  let heapPeakMb = heapBaselineMb;

  const server = await startMockServer({ port: 0, timing: 'fast', seed: opts.seed });
  const creds = { apiKey: server.apiKey, apiSecret: server.apiSecret };
  const rng = new Rng(opts.seed);

  // count from the trace stream and let the trace forget, so its memory is not mistaken for a leak
  const created = new Set<string>();
  const endedCount = new Map<string, number>();
  const outcomes: Record<string, number> = {};
  let twice = 0;
  let loadReports = 0;
  const off = server.trace.onEvent((e) => {
    if (e.kind === 'job.created') created.add(e.jobId);
    else if (e.kind === 'job.ended') {
      endedCount.set(e.jobId, (endedCount.get(e.jobId) ?? 0) + 1);
      outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
    } else if (e.kind === 'log' && e.message.includes('ended twice')) twice++;
    else if (e.kind === 'worker.status') loadReports++;
  });
  const trimmer = setInterval(() => server.trace.reset(), 2_000);

  const churn: ChurnState = { url: server.wsUrl, token: workerToken(creds), seed: opts.seed, stopping: false, live: new Set(), connections: 0, registrations: 0 };

  // workers join in waves so the accept queue is not flooded
  const workerRuns: Promise<void>[] = [];
  for (let i = 0; i < opts.workers; i++) {
    workerRuns.push(churnWorker(churn, i));
    if (i % 50 === 49) await sleep(50);
  }
  log(`${opts.workers} workers started`);

  // dispatches while rooms open and close
  const roomsN = opts.rooms ?? Math.max(20, Math.floor(opts.dispatches / 40));
  let accepted = 0;
  let requested = 0;
  let roomsDeleted = 0;
  const call = async (method: string, service: string, room: string, body: unknown) => {
    const res = await fetch(`${server.httpUrl}/twirp/livekit.${service}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken(creds, room)}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return res.status;
  };
  let next = 0;
  const lanes = Array.from({ length: opts.concurrency ?? 24 }, async () => {
    while (next < opts.dispatches && Date.now() < deadline) {
      const i = next++;
      const room = `soak-room-${rng.int(roomsN)}`;
      const agentName = rng.pick(AGENT_NAMES);
      requested++;
      try {
        const status = rng.chance(0.8)
          ? await call('CreateDispatch', 'AgentDispatchService', room, { room, agent_name: agentName, metadata: `d${i}` })
          : await call('CreateRoom', 'RoomService', `${room}-x${i}`, { name: `${room}-x${i}`, agents: [{ agent_name: agentName }] });
        if (status === 200) accepted++;
        else failures.push(`dispatch ${i} answered ${status}`);
        if (rng.chance(0.05)) {
          const st = await call('DeleteRoom', 'RoomService', room, { room });
          if (st === 200) roomsDeleted++;
        }
      } catch (e) {
        failures.push(`dispatch ${i}: ${(e as Error).message}`);
      }
      if (i % 2000 === 1999) {
        heapPeakMb = Math.max(heapPeakMb, heapMb());
        log(`${i + 1} dispatches, ${churn.connections} connections, ${churn.registrations} registrations, jobs ${created.size} created / ${endedCount.size} ended`);
      }
    }
  });
  await Promise.all(lanes);
  heapPeakMb = Math.max(heapPeakMb, heapMb());
  if (Date.now() >= deadline) failures.push(`time limit reached after ${requested} of ${opts.dispatches} dispatches`);

  // every worker leaves; then every job must have ended (offers fail over or end, running jobs are orphaned)
  churn.stopping = true;
  for (const w of churn.live) void w.close();
  await Promise.race([Promise.all(workerRuns), sleep(30_000)]);
  for (const w of churn.live) void w.terminate();
  const leftover = await waitFor(() => {
    const r = server.core.registry();
    return r.sessions === 0 && r.workers === 0 && r.openJobs === 0 ? '' : `after every worker left: ${JSON.stringify(r)}`;
  }, 30_000);
  if (leftover) failures.push(leftover);
  const openJobsAfterWorkersLeft = server.core.ledger.openJobs().length;
  for (const room of server.core.rooms.list()) server.core.rooms.close(room, 0);
  const registryAfterClose = server.core.registry();
  clearInterval(trimmer);
  off();
  await server.close();

  let lost = 0;
  for (const id of created) if ((endedCount.get(id) ?? 0) !== 1) lost++;
  const jobsEnded = [...endedCount.values()].reduce((a, b) => a + b, 0);
  if (lost) failures.push(`${lost} jobs without exactly one recorded end`);
  if (twice) failures.push(`${twice} jobs ended twice`);
  if (jobsEnded !== created.size) failures.push(`job.created ${created.size} vs job.ended ${jobsEnded}`);
  if (registryAfterClose.sessions || registryAfterClose.workers || registryAfterClose.rooms || registryAfterClose.openJobs) {
    failures.push(`registry not empty: ${JSON.stringify(registryAfterClose)}`);
  }

  const jobsCreated = created.size;
  created.clear();
  endedCount.clear();

  // memory and handles back near the baseline once the server and every socket are gone
  const handleReason = await waitFor(() => (handles() <= handlesBaseline ? '' : `open handles ${handles()} vs ${handlesBaseline} at the start: ${process.getActiveResourcesInfo().join(',')}`), 15_000);
  if (handleReason) failures.push(handleReason);
  await settle();
  const heapAfterMb = heapMb();
  const tolerance = Math.max(30, heapBaselineMb * 0.5);
  if (heapAfterMb > heapBaselineMb + tolerance) failures.push(`heap ${heapAfterMb.toFixed(1)} MB after vs ${heapBaselineMb.toFixed(1)} MB before (tolerance ${tolerance.toFixed(0)} MB)`);

  return {
    workers: opts.workers,
    dispatchesRequested: requested,
    dispatchesAccepted: accepted,
    roomsDeleted,
    connections: churn.connections,
    registrations: churn.registrations,
    loadReports,
    jobsCreated,
    jobsEnded,
    jobsLost: lost,
    jobsEndedTwice: twice,
    outcomes,
    openJobsAfterWorkersLeft,
    registryAfterClose,
    heapBaselineMb: +heapBaselineMb.toFixed(1),
    heapAfterMb: +heapAfterMb.toFixed(1),
    heapPeakMb: +heapPeakMb.toFixed(1),
    handlesBaseline,
    handlesAfter: handles(),
    elapsedMs: Date.now() - started,
    failures,
  };
}
