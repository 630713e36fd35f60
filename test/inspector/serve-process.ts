import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../support/eventually.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServeProcess {
  child: ChildProcess;
  out: () => string;
  httpUrl: string;
  wsUrl: string;
  /** The one-time inspector link printed at start. */
  link: string;
  stop: () => Promise<void>;
}

/** `dispatch-lab serve` as a real process in its own process group, with everything it prints captured. */
export async function startServe(args: string[]): Promise<ServeProcess> {
  const chunks: string[] = [];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'dispatch-lab.js'), 'serve', '--port', '0', '--timing', 'fast', ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => chunks.push(c.toString()));
  const out = () => chunks.join('');
  const stop = async () => {
    if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid, 'SIGTERM');
    await eventually(() => (child.exitCode !== null || child.signalCode !== null ? '' : 'serve still running'), { timeoutMs: 10_000 }).catch(() => process.kill(-child.pid!, 'SIGKILL'));
  };
  let ws = '';
  let link = '';
  try {
    await eventually(() => {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${out()}`);
      ws = /ready at (ws:\/\/\S+)/.exec(out())?.[1] ?? '';
      link = /one-time sign-in link: (\S+?)\)/.exec(out())?.[1] ?? '';
      return ws && link ? '' : `no ready line and inspector link yet: ${out()}`;
    }, { timeoutMs: 30_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { child, out, wsUrl: ws, httpUrl: ws.replace('ws://', 'http://'), link, stop };
}
