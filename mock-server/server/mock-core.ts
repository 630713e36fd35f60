import { DisconnectReason, ServerInfo, ServerInfo_Edition } from '@livekit/protocol';
import type { AgentCoreContext } from '../agent/agent-context.ts';
import { JobLedger } from '../agent/job-ledger.ts';
import type { RegisteredWorker } from '../agent/registered-worker.ts';
import { jobTypeName } from '../agent/job-types.ts';
import { WorkerPool } from '../agent/worker-pool.ts';
import { WorkerSession, type WorkerSessionHost } from '../agent/worker-session.ts';
import type { WorkerConnection } from '../agent/worker-connection.ts';
import type { AuthContext } from '../auth/claims.ts';
import { DEFAULT_TARGET_LOAD, resolveTiming, type TimingPreset, type TimingSettings } from '../config/timing.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { IdGenerator } from '../core/ids.ts';
import { seededRandom, systemRandom, type Random } from '../core/random.ts';
import { DispatchPolicy } from '../dispatch/dispatch-policy.ts';
import { EnabledCheck } from '../dispatch/enabled-check.ts';
import { ABANDONED } from '../dispatch/end-reasons.ts';
import { JobDispatcher } from '../dispatch/job-dispatcher.ts';
import { FaultGate } from '../faults/fault-gate.ts';
import type { FaultTarget } from '../faults/fault.ts';
import { RoomManager } from '../rooms/room-manager.ts';
import { Telephony } from '../sip/telephony.ts';
import { Trace } from '../trace/trace.ts';
import type { TraceRetention } from '../trace/trace-retention.ts';
import { SERVER_VERSION } from '../config/server-version.ts';

/** livekit-server's signalling protocol version (pkg/rtc/types/protocol_version.go). */
const SIGNAL_PROTOCOL = 17;
const AGENT_PROTOCOL = 1;

export interface MockCoreOptions {
  timing?: TimingPreset | Partial<TimingSettings>;
  /** Seed for worker selection and ids; omit for Math.random. */
  seed?: number;
  clock?: Clock;
  random?: Random;
  targetLoad?: number;
  region?: string;
  /** How many events / bytes the in-memory trace keeps (default: DEFAULT_TRACE_RETENTION). */
  traceRetention?: Partial<TraceRetention>;
}

/**
 * The whole server without sockets: state, an injected clock and injected randomness. The HTTP/ws
 * layer feeds it connections and requests; unit tests drive it directly.
 */
export class MockCore implements WorkerSessionHost {
  readonly ctx: AgentCoreContext;
  readonly trace: Trace;
  readonly ledger: JobLedger;
  readonly pool = new WorkerPool();
  readonly rooms: RoomManager;
  readonly faults: FaultGate;
  readonly enabledCheck: EnabledCheck;
  /** SIP trunks, rules, the simulated bridge and phones (mock-server/sip). */
  readonly telephony: Telephony;
  readonly #sessions = new Set<WorkerSession>();
  readonly #connections = new Map<WorkerSession, WorkerConnection>();
  #socketSeq = 0;

  constructor(options: MockCoreOptions = {}) {
    const clock = options.clock ?? systemClock;
    const random = options.random ?? (options.seed !== undefined ? seededRandom(options.seed) : systemRandom);
    const timing =
      typeof options.timing === 'string' || options.timing === undefined ? resolveTiming(options.timing) : resolveTiming('real', options.timing);
    this.trace = new Trace(clock, options.traceRetention);
    // a drop is a warning only if some worker could have wanted the job: a named agent, or a registered type + namespace
    this.ledger = new JobLedger(this.trace, (ref) => ref.agentName !== '' || this.pool.all().some((w) => jobTypeName(w.key.jobType) === ref.jobType && w.key.namespace === ref.namespace));
    const ids = new IdGenerator(random);
    this.ctx = {
      clock,
      random,
      ids,
      trace: this.trace,
      ledger: this.ledger,
      timing,
      targetLoad: options.targetLoad ?? DEFAULT_TARGET_LOAD,
      serverInfo: new ServerInfo({
        edition: ServerInfo_Edition.Standard,
        version: SERVER_VERSION,
        protocol: SIGNAL_PROTOCOL,
        region: options.region ?? '',
        nodeId: ids.next('ND_'),
        agentProtocol: AGENT_PROTOCOL,
      }),
    };
    this.faults = new FaultGate(clock, this.trace);
    this.enabledCheck = new EnabledCheck(this.ctx);
    const dispatcher = new JobDispatcher(this.ctx, this.pool, this.enabledCheck);
    this.rooms = new RoomManager(this.ctx, new DispatchPolicy(this.ctx, dispatcher, this.pool));
    this.telephony = new Telephony(this.ctx, this.rooms);
  }

  /** A new worker socket (already authenticated with a `video.agent` grant). */
  openWorkerSession(conn: WorkerConnection, auth: AuthContext): WorkerSession {
    const session = new WorkerSession(`ws-${++this.#socketSeq}`, auth, conn, this.ctx, this);
    this.#sessions.add(session);
    this.#connections.set(session, conn);
    return session;
  }

  onRegistered(worker: RegisteredWorker): void {
    // a new key is announced (PublishWorkerRegistered), which drops the agent client's CheckEnabled cache
    if (this.pool.add(worker)) this.enabledCheck.invalidate();
  }

  onClosed(session: WorkerSession, worker: RegisteredWorker | undefined): void {
    if (worker) this.pool.remove(worker);
    this.#sessions.delete(session);
    this.#connections.delete(session);
  }

  sessions(): WorkerSession[] {
    return [...this.#sessions].filter((s) => s.isOpen);
  }

  closeWorker(workerId: string, abrupt: boolean): boolean {
    return this.closeWorkers({ workerId }, abrupt) > 0;
  }

  /** Closes every open worker socket the target matches (all of them for no target); returns how many. */
  closeWorkers(target: FaultTarget | undefined, abrupt: boolean): number {
    const matching = this.sessions().filter(
      (s) => (target?.workerId === undefined || s.workerId === target.workerId) && (target?.agentName === undefined || s.registered?.key.agentName === target.agentName),
    );
    for (const session of matching) {
      this.trace.record({ kind: 'fault.applied', fault: abrupt ? 'close_abrupt' : 'close', target: session.workerId });
      const conn = this.#connections.get(session);
      session.close(abrupt ? 'closed by fault (abrupt)' : 'closed by fault');
      if (!abrupt && conn?.closeClean) conn.closeClean('closed by fault');
      else conn?.terminate();
    }
    return matching.length;
  }

  /** Loses all state as a restarted livekit-server would: sockets drop, rooms vanish, workers must re-register. */
  restart(): void {
    this.trace.record({ kind: 'fault.applied', fault: 'restart', target: 'server' });
    for (const s of this.sessions()) {
      // look the socket up first: closing the session removes it from the registry
      const conn = this.#connections.get(s);
      s.close('server restarted');
      conn?.terminate();
    }
    for (const room of this.rooms.list()) this.rooms.close(room, DisconnectReason.SERVER_SHUTDOWN);
  }

  /** What the server still holds, for leak checks: sockets tracked, workers registered, rooms live, jobs open. */
  registry(): { sessions: number; workers: number; rooms: number; openJobs: number } {
    return { sessions: this.#sessions.size, workers: this.pool.size, rooms: this.rooms.list().length, openJobs: this.ledger.openJobs().length };
  }

  /** Stops timers and records an end for every job still open. */
  stop(): void {
    this.restart();
    this.rooms.stop();
    this.telephony.stop();
    for (const job of this.ledger.openJobs()) this.ledger.ended(job.jobId, 'abandoned', ABANDONED);
  }
}
