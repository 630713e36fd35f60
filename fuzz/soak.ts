import {
  AvailabilityResponse,
  JobStatus,
  JobType,
  RegisterWorkerRequest,
  ServerMessage,
  UpdateJobStatus,
  UpdateWorkerStatus,
  WorkerMessage,
  WorkerStatus,
} from '@livekit/protocol';
import WebSocket from 'ws';
import { startMockServer } from '../mock-server/index.ts';
import { Rng } from './rng.ts';
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

const agentNames = ['soak-a', 'soak-b', 'soak-c'];
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const heapMb = () => process.memoryUsage().heapUsed / 1024 / 1024;
const handles = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout' && r !== 'Immediate').length;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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

  let stopping = false;
  let connections = 0;
  let registrations = 0;
  const live = new Set<WebSocket>();
  const token = workerToken(creds);

  const runWorker = async (index: number): Promise<void> => {
    const wr = new Rng(opts.seed * 7919 + index);
    const agentName = agentNames[index % agentNames.length];
    while (!stopping) {
      const ws = new WebSocket(`${server.wsUrl}/agent`, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
      live.add(ws);
      connections++;
      ws.on('error', () => undefined);
      const closed = new Promise<void>((r) => ws.once('close', () => r()));
      const send = (message: WorkerMessage['message']) => ws.readyState === ws.OPEN && ws.send(new WorkerMessage({ message }).toBinary());
      const timers: NodeJS.Timeout[] = [];
      ws.on('message', (data: Buffer) => {
        let m: ServerMessage;
        try {
          m = ServerMessage.fromBinary(data);
        } catch {
          return;
        }
        if (m.message.case === 'register') registrations++;
        if (m.message.case === 'availability') {
          const job = m.message.value.job!;
          const r = wr.next();
          if (r < 0.03) return; // never answers: the offer times out
          if (r < 0.06) return void send({ case: 'availability', value: new AvailabilityResponse({ jobId: job.id, available: false }) });
          if (r < 0.08) return void send({ case: 'availability', value: new AvailabilityResponse({ jobId: job.id, terminate: true }) });
          send({ case: 'availability', value: new AvailabilityResponse({ jobId: job.id, available: true, participantIdentity: `agent-${job.id}` }) });
        }
        if (m.message.case === 'assignment' && wr.chance(0.6)) {
          const jobId = m.message.value.job!.id;
          timers.push(setTimeout(() => send({ case: 'updateJob', value: new UpdateJobStatus({ jobId, status: wr.chance(0.9) ? JobStatus.JS_SUCCESS : JobStatus.JS_FAILED, error: '' }) }), wr.int(300)));
        }
      });
      const opened = await new Promise<boolean>((resolve) => {
        ws.once('open', () => resolve(true));
        ws.once('close', () => resolve(false));
      });
      if (opened) {
        send({ case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, agentName, version: 'soak' }) });
        // report load a few times, then leave (cleanly or not) and come back
        const lifetime = 500 + wr.int(3_000);
        const until = Date.now() + lifetime;
        while (!stopping && Date.now() < until && ws.readyState === ws.OPEN) {
          await sleep(300 + wr.int(700));
          const load = wr.chance(0.1) ? 0.9 : wr.next() * 0.5;
          send({ case: 'updateWorker', value: new UpdateWorkerStatus({ load, status: load > 0.8 ? WorkerStatus.WS_FULL : WorkerStatus.WS_AVAILABLE }) });
        }
        if (wr.chance(0.7)) ws.close();
        else ws.terminate();
      }
      const t = setTimeout(() => ws.terminate(), 2_000);
      await closed;
      clearTimeout(t);
      for (const tm of timers) clearTimeout(tm);
      live.delete(ws);
      if (!stopping) await sleep(wr.int(400));
    }
  };

  // workers join in waves so the accept queue is not flooded
  const workerRuns: Promise<void>[] = [];
  for (let i = 0; i < opts.workers; i++) {
    workerRuns.push(runWorker(i));
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
      const agentName = rng.pick(agentNames);
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
        log(`${i + 1} dispatches, ${connections} connections, ${registrations} registrations, jobs ${created.size} created / ${endedCount.size} ended`);
      }
    }
  });
  await Promise.all(lanes);
  heapPeakMb = Math.max(heapPeakMb, heapMb());
  if (Date.now() >= deadline) failures.push(`time limit reached after ${requested} of ${opts.dispatches} dispatches`);

  // every worker leaves; then every job must have ended (offers fail over or end, running jobs are orphaned)
  stopping = true;
  for (const ws of live) if (ws.readyState === ws.OPEN) ws.close();
  await Promise.race([Promise.all(workerRuns), sleep(30_000)]);
  for (const ws of live) ws.terminate();
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
    connections,
    registrations,
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
