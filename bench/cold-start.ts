import { spawn, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../agent-runtime/wait-for.ts';
import { startMockServer } from '../mock-server/index.ts';
import { freeTcpPort, freeUdpPort } from '../targets/free-port.ts';
import { liveKitConfigYaml } from '../targets/livekit-config.ts';
import { resolveLiveKitServerBin, REPO_ROOT } from '../targets/livekit-server-binary-path.ts';
import { killGroup } from '../targets/process-group.ts';
import { leanWorker, startLeanWorker, workerToken } from './lib/lean-worker.ts';

const CHILD = fileURLToPath(new URL('./start-mock-child.ts', import.meta.url));

export interface ColdStart {
  /** start → GET / answered 200 */
  httpMs: number;
  /** start → a worker's register answered */
  registeredMs: number;
}

/** Polls GET / every 2 ms until it answers 200. */
async function pollHttp(url: string, t0: number, timeoutMs: number, isDead: () => boolean): Promise<number> {
  const deadline = t0 + timeoutMs;
  for (;;) {
    if (isDead()) throw new Error(`${url}: the process died before answering`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - t0;
    } catch {
      /* not up yet */
    }
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(2);
  }
}

async function registerOnce(wsUrl: string, token: string, t0: number): Promise<number> {
  const w = await startLeanWorker(leanWorker(wsUrl, token), 10_000);
  const ms = performance.now() - t0;
  void w.terminate();
  return ms;
}

export async function coldStartInProcess(): Promise<ColdStart> {
  const token = await workerToken('devkey', 'secret');
  const t0 = performance.now();
  const s = await startMockServer({ port: 0, timing: 'fast' });
  try {
    const httpMs = await pollHttp(`${s.httpUrl}/`, t0, 5000, () => false);
    const registeredMs = await registerOnce(s.wsUrl, token, t0);
    return { httpMs, registeredMs };
  } finally {
    await s.close();
  }
}

/** `npx tsx bench/start-mock-child.ts <port>`: a fresh Node process that starts the mock. */
export async function coldStartMockProcess(): Promise<ColdStart> {
  const token = await workerToken('devkey', 'secret');
  const port = await freeTcpPort('127.0.0.1');
  return timeSpawn('npx', ['tsx', CHILD, String(port)], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] }, port, token);
}

const BIN = fileURLToPath(new URL('../bin/dispatch-lab.js', import.meta.url));
const BUILT_CLI = fileURLToPath(new URL('../dist/cli-bundle/main.js', import.meta.url));
const BUILT_ENV = { ...process.env, DISPATCH_LAB_BUILT: '1' };

/** Why the built CLI cannot be measured (no dist/: `npm run build`), or undefined. */
export const builtCliUnavailable = (): string | undefined => (existsSync(BUILT_CLI) ? undefined : 'no dist/ (run `npm run build`)');

/** `dispatch-lab serve` from the built package (dist/), as an installed package runs it: a fresh Node process. */
export async function coldStartCliProcess(): Promise<ColdStart> {
  const token = await workerToken('devkey', 'secret');
  const port = await freeTcpPort('127.0.0.1');
  const args = [BIN, 'serve', '--port', String(port), '--timing', 'fast', '--quiet'];
  return timeSpawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: BUILT_ENV }, port, token);
}

/** Process start → exit of `dispatch-lab --help` from the built package. */
export async function cliHelpMs(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, '--help'], { cwd: REPO_ROOT, stdio: 'ignore', env: BUILT_ENV });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`dispatch-lab --help exited with ${code}`);
  return performance.now() - t0;
}

/** The livekit-server binary with the targets' config (`--dev --config`), timed like the mock. */
export async function coldStartRealProcess(): Promise<ColdStart> {
  const token = await workerToken('devkey', 'secret');
  const bin = resolveLiveKitServerBin();
  const [httpPort, rtcTcpPort, udpPort] = [await freeTcpPort('127.0.0.1'), await freeTcpPort(), await freeUdpPort('127.0.0.1')];
  const dir = await mkdtemp(join(tmpdir(), 'lab-bench-'));
  const config = join(dir, 'livekit.yaml');
  await writeFile(
    config,
    liveKitConfigYaml({ httpPort, rtcTcpPort, udpPort, bindAddress: '127.0.0.1', nodeIp: '127.0.0.1', keys: { devkey: 'secret' }, logLevel: 'warn' }),
  );
  try {
    return await timeSpawn(bin, ['--dev', '--config', config], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] }, httpPort, token);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Spawns the server in its own process group, times `GET /` and a first registration from the spawn, then stops the group. */
async function timeSpawn(command: string, args: string[], opts: { cwd: string; stdio: StdioOptions; env?: NodeJS.ProcessEnv }, port: number, token: string): Promise<ColdStart> {
  const t0 = performance.now();
  const child = spawn(command, args, { ...opts, detached: true });
  let dead = false;
  child.once('exit', () => (dead = true));
  try {
    const httpMs = await pollHttp(`http://127.0.0.1:${port}/`, t0, 30_000, () => dead);
    const registeredMs = await registerOnce(`ws://127.0.0.1:${port}`, token, t0);
    return { httpMs, registeredMs };
  } finally {
    await stopGroup(child.pid!, () => dead);
  }
}

async function stopGroup(pgid: number, dead: () => boolean): Promise<void> {
  killGroup(pgid, 'SIGTERM');
  for (let i = 0; i < 100 && !dead(); i++) await sleep(20);
  killGroup(pgid, 'SIGKILL');
}
