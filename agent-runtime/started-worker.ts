import type { ChildProcess } from 'node:child_process';
import type { JobTypeName, TraceEventOf } from '../mock-server/trace/events.ts';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { groupAlive, signalGroup } from '../targets/process-group.ts';
import { WorkerNotReadyError } from './errors.ts';
import { captureLines, type WorkerLogLine } from './log-capture.ts';
import { claimRegistration, registeredIdInLog, registrationById } from './registration-watch.ts';

export type WorkerRuntime = 'node' | 'python' | 'command';

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartedWorkerOptions {
  runtime: WorkerRuntime;
  target: LiveKitTarget;
  agentName: string;
  jobType: JobTypeName;
  /** Sequence number of the trace at spawn (taken before spawning). */
  afterSeq: number;
  /** Also record every log line into the target trace as `{kind:'log'}` (noisy; off by default). */
  traceLogs?: boolean;
  /** Called when the worker is disposed (e.g. to stop its mark collector). */
  onDispose?: () => Promise<void>;
}

/**
 * A running worker process: its logs, its registration (readiness) and its exit, plus the controls
 * scenarios need. Shared by the Node, Python and generic command launchers.
 */
export class StartedWorker implements AsyncDisposable {
  readonly runtime: WorkerRuntime;
  readonly pid: number;
  readonly agentName: string;
  readonly jobType: JobTypeName;
  readonly logs: WorkerLogLine[] = [];
  /** The claimed registration; rejects with WorkerNotReadyError if the process exits first. */
  readonly ready: Promise<TraceEventOf<'worker.registered'>>;
  /** Resolves once the leader process has exited. */
  readonly exited: Promise<WorkerExit>;
  #exit: WorkerExit | undefined;
  #workerId: string | undefined;
  #onDispose?: () => Promise<void>;

  constructor(child: ChildProcess, opts: StartedWorkerOptions) {
    this.runtime = opts.runtime;
    this.pid = child.pid!;
    this.agentName = opts.agentName;
    this.jobType = opts.jobType;
    this.#onDispose = opts.onDispose;
    let reportId: (id: string) => void = () => {};
    const ownId = new Promise<string>((resolve) => (reportId = resolve));
    const onLine = (line: WorkerLogLine) => {
      this.logs.push(line);
      const id = registeredIdInLog(line.text);
      if (id) reportId(id);
      if (opts.traceLogs) {
        opts.target.trace.record({
          kind: 'log',
          level: line.stream === 'stderr' ? 'warn' : 'info',
          message: `[${this.runtime}:${this.pid}] ${line.text}`,
        });
      }
    };
    captureLines(child.stdout!, 'stdout', onLine);
    captureLines(child.stderr!, 'stderr', onLine);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
    // The official runtimes log their worker id; matching on it is exact. A user's own command may log nothing,
    // so it claims the first unclaimed registration with its name and type.
    const claim =
      opts.runtime === 'command'
        ? claimRegistration(opts.target.trace, { agentName: opts.agentName, jobType: opts.jobType, afterSeq: opts.afterSeq })
        : registrationById(opts.target.trace, ownId);
    void this.exited.then((exit) =>
      claim.cancel(new WorkerNotReadyError(`${this.describe()} exited (${exit.code ?? exit.signal}) before registering`)),
    );
    this.ready = claim.promise.then((event) => {
      this.#workerId = event.workerId;
      return event;
    });
    this.ready.catch(() => {}); // observed through waitReady(); avoid an unhandled rejection
  }

  /** The worker id from the claimed registration (undefined until ready). */
  get workerId(): string | undefined {
    return this.#workerId;
  }

  /** The leader's exit, or undefined while it runs. */
  get exit(): WorkerExit | undefined {
    return this.#exit;
  }

  get exitCode(): number | null | undefined {
    return this.#exit?.code;
  }

  /** `ready` with a deadline; the error carries the tail of the logs. */
  async waitReady(timeoutMs = 30_000): Promise<TraceEventOf<'worker.registered'>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WorkerNotReadyError(`${this.describe()} did not register within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.ready, timeout]);
    } catch (err) {
      if (err instanceof WorkerNotReadyError) throw new WorkerNotReadyError(`${err.message}\n${this.logTail(20)}`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal to the leader only (the runtimes drain on SIGTERM/SIGINT and drive their children themselves). */
  signal(signal: NodeJS.Signals): void {
    if (!this.#exit) {
      try {
        process.kill(this.pid, signal);
      } catch {
        /* already gone */
      }
    }
  }

  /**
   * Graceful stop: SIGTERM to the leader (production workers drain: WS_FULL, wait for running jobs),
   * then SIGKILL to the whole group if it has not exited within `graceMs`. Always leaves no process behind.
   */
  async stop(graceMs = 10_000): Promise<WorkerExit> {
    this.signal('SIGTERM');
    const exited = await Promise.race([this.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), graceMs).unref())]);
    if (!exited) signalGroup(this.pid, 'SIGKILL');
    const exit = await this.exited;
    this.#reapGroup();
    return exit;
  }

  /** Immediate SIGKILL of the whole process group. */
  async kill(): Promise<WorkerExit> {
    signalGroup(this.pid, 'SIGKILL');
    const exit = await this.exited;
    return exit;
  }

  /** Kills whatever is left of the group and releases helpers (idempotent). */
  async dispose(): Promise<void> {
    if (!this.#exit) await this.kill();
    this.#reapGroup();
    const onDispose = this.#onDispose;
    this.#onDispose = undefined;
    await onDispose?.();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Job children can outlive a leader that exited; SIGKILL them too. */
  #reapGroup(): void {
    if (groupAlive(this.pid)) signalGroup(this.pid, 'SIGKILL');
  }

  logTail(n: number): string {
    return this.logs
      .slice(-n)
      .map((l) => `  ${l.stream === 'stderr' ? '!' : ' '} ${l.text}`)
      .join('\n');
  }

  describe(): string {
    return `${this.runtime} worker pid ${this.pid} (agent "${this.agentName}", ${this.jobType})`;
  }
}
