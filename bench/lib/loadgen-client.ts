import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killGroup } from '../../targets/process-group.ts';

const LOADGEN = fileURLToPath(new URL('../loadgen.ts', import.meta.url));

/** The orchestrator's handle on the load-generator child (its own process group, IPC commands). */
export class LoadGen {
  #next = 0;
  #waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #eventListeners = new Set<(event: string) => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: { id?: number; result?: unknown; error?: string; event?: string }) => {
      if (m.event) for (const l of this.#eventListeners) l(m.event);
      if (m.id === undefined) return;
      const w = this.#waiting.get(m.id);
      this.#waiting.delete(m.id);
      if (m.error) w?.reject(new Error(`loadgen: ${m.error}`));
      else w?.resolve(m.result);
    });
    child.on('exit', (code, signal) => {
      for (const w of this.#waiting.values()) w.reject(new Error(`loadgen exited (${code ?? signal})`));
      this.#waiting.clear();
    });
  }

  static async start(): Promise<LoadGen> {
    const child = fork(LOADGEN, [], { execArgv: ['--import', 'tsx'], detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const lg = new LoadGen(child);
    await new Promise<void>((resolve, reject) => {
      const off = lg.onEvent((e) => {
        if (e === 'ready') {
          off();
          resolve();
        }
      });
      child.once('exit', () => reject(new Error('loadgen exited before it was ready')));
    });
    return lg;
  }

  get pid(): number {
    return this.child.pid!;
  }

  onEvent(l: (event: string) => void): () => void {
    this.#eventListeners.add(l);
    return () => this.#eventListeners.delete(l);
  }

  call<T = any>(cmd: Record<string, unknown>, timeoutMs = 180_000): Promise<T> {
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`loadgen ${String(cmd.op)} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, cmd });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    killGroup(this.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    killGroup(this.pid, 'SIGKILL');
  }
}
