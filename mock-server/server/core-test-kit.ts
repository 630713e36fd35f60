import {
  AvailabilityResponse,
  JobType,
  RegisterWorkerRequest,
  UpdateWorkerStatus,
  WorkerMessage,
  type Job,
  type ServerMessage,
  type WorkerStatus,
} from '@livekit/protocol';
import type { WorkerConnection } from '../agent/worker-connection.ts';
import type { WorkerSession } from '../agent/worker-session.ts';
import type { TimingPreset } from '../config/timing.ts';
import { ManualClock } from '../core/clock.ts';
import type { RoomCreateSpec } from '../rooms/room-manager.ts';
import type { TraceEventOf } from '../trace/events.ts';
import { MockCore } from './mock-core.ts';

/**
 * What the core's unit tests share: a MockCore on a ManualClock and in-memory workers, so every timing rule
 * runs at its real value without waiting and without a socket.
 */

/** How an in-memory worker answers an AvailabilityRequest; 'ignore' leaves it to the test. */
export type MemoryAnswer = (job: Job) => Partial<AvailabilityResponse> | 'ignore';

/** An in-memory worker socket: what the server sent, and whether it dropped the connection. */
export class MemoryConnection implements WorkerConnection {
  readonly sent: ServerMessage[] = [];
  terminated = false;
  session?: WorkerSession;

  constructor(private readonly answer?: MemoryAnswer) {}

  send(message: ServerMessage): void {
    this.sent.push(message);
    const m = message.message;
    if (m.case !== 'availability' || !m.value.job || !this.answer) return;
    const a = this.answer(m.value.job);
    if (a === 'ignore') return;
    const jobId = m.value.job.id;
    // answered after the current turn, as over a network
    queueMicrotask(() => this.session?.handleMessage(workerMessage({ case: 'availability', value: new AvailabilityResponse({ jobId, available: true, participantIdentity: `agent-${jobId}`, ...a }) })));
  }

  terminate(): void {
    this.terminated = true;
  }

  cases(): string[] {
    return this.sent.map((m) => m.message.case ?? '');
  }

  of<C extends NonNullable<ServerMessage['message']['case']>>(kase: C): Extract<ServerMessage['message'], { case: C }>['value'][] {
    return this.sent.filter((m) => m.message.case === kase).map((m) => m.message.value) as never;
  }
}

export const workerMessage = (message: WorkerMessage['message']): WorkerMessage => new WorkerMessage({ message });

export interface MemoryWorker {
  conn: MemoryConnection;
  session: WorkerSession;
  readonly workerId: string;
  send(message: WorkerMessage['message']): void;
  /** UpdateWorkerStatus. */
  setStatus(load: number, status?: WorkerStatus): void;
  /** AvailabilityResponse for the job of the last AvailabilityRequest (or `jobId`). */
  reply(response: Partial<AvailabilityResponse>, jobId?: string): void;
}

export const T0 = 1_700_000_000_000; // a whole second
export const TEST_AUTH = { apiKey: 'devkey', apiSecret: 'secret', grants: { iss: 'devkey', video: { agent: true } }, identity: '' };

export const roomSpec = (name: string, extra: Partial<RoomCreateSpec> = {}): RoomCreateSpec => ({
  name,
  emptyTimeout: 0,
  departureTimeout: 0,
  maxParticipants: 0,
  metadata: '',
  agents: [],
  ...extra,
});

export interface CoreKit {
  clock: ManualClock;
  core: MockCore;
  /** An open, unregistered worker socket. */
  connect(answer?: MemoryAnswer): MemoryWorker;
  /** A registered worker (JT_ROOM, agent name "" unless given). */
  worker(req?: Partial<RegisterWorkerRequest>, answer?: MemoryAnswer): MemoryWorker;
  ended(): TraceEventOf<'job.ended'>[];
}

export function startCoreKit(options: { seed?: number; timing?: TimingPreset } = {}): CoreKit {
  const clock = new ManualClock(T0);
  const core = new MockCore({ clock, seed: options.seed ?? 1, timing: options.timing ?? 'real' });
  const kit: CoreKit = {
    clock,
    core,
    connect(answer) {
      const conn = new MemoryConnection(answer);
      const session = core.openWorkerSession(conn, TEST_AUTH);
      conn.session = session;
      return {
        conn,
        session,
        workerId: session.workerId,
        send: (message) => session.handleMessage(workerMessage(message)),
        setStatus: (load, status) => session.handleMessage(workerMessage({ case: 'updateWorker', value: new UpdateWorkerStatus({ load, status }) })),
        reply(response, jobId) {
          const id = jobId ?? conn.of('availability').at(-1)?.job?.id ?? '';
          session.handleMessage(workerMessage({ case: 'availability', value: new AvailabilityResponse({ jobId: id, ...response }) }));
        },
      };
    },
    worker(req = {}, answer) {
      const w = kit.connect(answer);
      w.send({ case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, ...req }) });
      return w;
    },
    ended: () => core.trace.events('job.ended'),
  };
  return kit;
}
