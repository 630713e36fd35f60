import { AvailabilityResponse, JobType, RegisterWorkerRequest, UpdateWorkerStatus, WorkerMessage, WorkerStatus, type ServerMessage } from '@livekit/protocol';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { WorkerConnection } from '../../mock-server/agent/worker-connection.ts';
import type { WorkerSession } from '../../mock-server/agent/worker-session.ts';
import { ManualClock } from '../../mock-server/core/clock.ts';
import { MockCore } from '../../mock-server/server/mock-core.ts';
import type { TraceRetention } from '../../mock-server/trace/trace-retention.ts';

export interface MemorySoakOptions {
  workers: number;
  rooms: number;
  /** Simulated time, ms. */
  durationMs: number;
  traceRetention?: Partial<TraceRetention>;
  /** Called after each simulated hour with the measurements so far. */
  onHour?: (m: MemorySample) => void;
}

export interface MemorySample {
  simulatedHours: number;
  heapUsedMb: number;
  rssMb: number;
  traceEvents: number;
  traceMb: number;
  evictedEvents: number;
  jobs: number;
}

export interface MemorySoakResult {
  samples: MemorySample[];
  final: MemorySample;
  peakHeapMb: number;
  peakRssMb: number;
  baselineHeapMb: number;
  recordedEvents: number;
  wallMs: number;
}

/** Agents report their status every 2.5 s (agents-js UPDATE_LOAD_INTERVAL, livekit-agents UPDATE_STATUS_INTERVAL). */
const STATUS_INTERVAL_MS = 2_500;
const AUTH = { apiKey: 'devkey', apiSecret: 'secret', grants: { iss: 'devkey', video: { agent: true } }, identity: '' };

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
/** A full GC before each sample, so the numbers are what is retained; without --expose-gc, the V8 flag is set here. */
const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();

/**
 * A day of `serve` in simulated time, without sockets: MockCore on a ManualClock, workers as in-memory
 * connections that accept every job and report their status every 2.5 s, rooms spread over the run, each
 * with one participant who leaves (the departure timeout then closes the room). Measures heap and RSS.
 */
export async function runMemorySoak(opts: MemorySoakOptions): Promise<MemorySoakResult> {
  const started = Date.now();
  gc();
  const baselineHeapMb = mb(process.memoryUsage().heapUsed);
  const clock = new ManualClock(1_700_000_000_000);
  const core = new MockCore({ clock, seed: 7, timing: 'real', traceRetention: opts.traceRetention });
  let recordedEvents = 0;
  const offRecorded = core.trace.onEvent(() => void recordedEvents++);
  let jobs = 0;
  const sessions: WorkerSession[] = [];
  for (let i = 0; i < opts.workers; i++) {
    let session!: WorkerSession;
    const conn: WorkerConnection = {
      send(message: ServerMessage) {
        if (message.message.case !== 'availability') return;
        const job = message.message.value.job!;
        jobs++;
        // answered after the send returns, as a socket would
        queueMicrotask(() =>
          session.handleMessage(
            new WorkerMessage({ message: { case: 'availability', value: new AvailabilityResponse({ jobId: job.id, available: true, participantIdentity: `agent-${job.id}` }) } }),
          ),
        );
      },
      terminate() {},
    };
    session = core.openWorkerSession(conn, AUTH);
    session.handleMessage(new WorkerMessage({ message: { case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, agentName: '', version: '1.9.0' }) } }));
    sessions.push(session);
  }

  const samples: MemorySample[] = [];
  let peakHeapMb = 0;
  let peakRssMb = 0;
  const sample = (t: number): MemorySample => {
    gc();
    const m = process.memoryUsage();
    const s = core.trace.stats();
    const out = { simulatedHours: Math.round((t / 3_600_000) * 100) / 100, heapUsedMb: mb(m.heapUsed), rssMb: mb(m.rss), traceEvents: s.events, traceMb: mb(s.bytes), evictedEvents: s.evictedEvents, jobs };
    peakHeapMb = Math.max(peakHeapMb, out.heapUsedMb);
    peakRssMb = Math.max(peakRssMb, out.rssMb);
    return out;
  };

  const roomEvery = Math.floor(opts.durationMs / opts.rooms);
  let nextRoomAt = 0;
  let roomNo = 0;
  const leaving: { at: number; room: string; identity: string }[] = [];
  let nextHour = 3_600_000;
  for (let t = 0; t < opts.durationMs; t += STATUS_INTERVAL_MS) {
    for (const [i, s] of sessions.entries()) {
      const load = ((t / STATUS_INTERVAL_MS + i) % 10) / 20; // 0 … 0.45, below the 0.7 rule
      s.handleMessage(new WorkerMessage({ message: { case: 'updateWorker', value: new UpdateWorkerStatus({ status: WorkerStatus.WS_AVAILABLE, load, jobCount: s.registered?.runningJobIds.length ?? 0 }) } }));
    }
    while (nextRoomAt <= t && roomNo < opts.rooms) {
      const name = `room-${roomNo++}`;
      const { room } = core.rooms.getOrCreate({ name, emptyTimeout: 0, departureTimeout: 0, maxParticipants: 0, metadata: '', agents: [] }, 'create_room');
      const p = core.rooms.join(room, { identity: `user-${roomNo}`, virtual: true });
      core.rooms.markActive(room, p);
      leaving.push({ at: t + 60_000, room: name, identity: p.identity });
      nextRoomAt += roomEvery;
    }
    while (leaving.length && leaving[0]!.at <= t) {
      const l = leaving.shift()!;
      const room = core.rooms.get(l.room);
      if (room) core.rooms.participantLeft(room, l.identity);
    }
    await clock.advance(STATUS_INTERVAL_MS);
    if (t + STATUS_INTERVAL_MS >= nextHour) {
      const s = sample(t + STATUS_INTERVAL_MS);
      samples.push(s);
      opts.onHour?.(s);
      nextHour += 3_600_000;
    }
  }
  // the departure timeouts of the last rooms
  await clock.advance(120_000);
  const final = sample(opts.durationMs);
  offRecorded();
  core.stop();
  return { samples, final, peakHeapMb, peakRssMb, baselineHeapMb, recordedEvents, wallMs: Date.now() - started };
}
