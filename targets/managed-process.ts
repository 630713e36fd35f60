import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killGroup } from './process-group.ts';

export interface ManagedProcessOptions {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Lines kept in memory (oldest dropped first). */
  maxLogLines?: number;
  /** SIGTERM → SIGKILL grace period. */
  stopGraceMs?: number;
}

/**
 * A child process in its own process group (spawned `detached`), with its stdout/stderr lines kept in
 * memory, and a stop that reaches the whole group: SIGTERM (repeated once), then SIGKILL after a grace period.
 */
export class ManagedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #lines: string[] = [];
  #listeners = new Set<(line: string) => void>();
  #exit?: { code: number | null; signal: NodeJS.Signals | null };
  #stopping?: Promise<void>;
  readonly #max: number;
  readonly #grace: number;

  constructor(opts: ManagedProcessOptions) {
    this.#max = opts.maxLogLines ?? 5000;
    this.#grace = opts.stopGraceMs ?? 5000;
    this.child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve((this.#exit = { code, signal })));
      // a spawn failure (ENOENT, EACCES) emits 'error' and never 'exit'
      this.child.once('error', (err) => {
        this.#push(`spawn failed: ${err.message}`);
        resolve((this.#exit = { code: -1, signal: null }));
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.#push(line));
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.#exit !== undefined;
  }

  get exitInfo(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.#exit;
  }

  logs(): string[] {
    return [...this.#lines];
  }

  lastLogs(n = 30): string[] {
    return this.#lines.slice(-n);
  }

  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Idempotent: every caller gets the same stop. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    if (!this.hasExited) {
      killGroup(pid, 'SIGTERM');
      // A second SIGTERM: livekit-server ignores one that arrives in the first ~100 ms after it starts
      // listening (Stop runs before `running` is set), and treats a second signal as "force".
      const again = setTimeout(() => killGroup(pid, 'SIGTERM'), Math.min(1000, this.#grace / 2));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.exited.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), this.#grace))),
      ]);
      clearTimeout(timer);
      clearTimeout(again);
      if (timedOut) killGroup(pid, 'SIGKILL');
      await this.exited;
    }
    // anything the leader left behind in its group goes too
    killGroup(pid, 'SIGKILL');
  }

  #push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#max) this.#lines.splice(0, this.#lines.length - this.#max);
    for (const l of this.#listeners) l(line);
  }
}
