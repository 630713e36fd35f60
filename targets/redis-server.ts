import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisMissingError, ServerStartError } from './errors.ts';
import { freeTcpPort } from './free-port.ts';
import { ManagedProcess } from './managed-process.ts';

export interface StartedRedis {
  readonly address: string;
  readonly port: number;
  readonly pid: number;
  logs(): string[];
  dispose(): Promise<void>;
}

function redisBin(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || fail();
  } catch {
    return fail();
  }
}

const fail = (): never => {
  throw new RedisMissingError();
};

/** A throwaway redis-server on a free loopback port: no persistence, own process group. */
export async function startRedis(opts: { timeoutMs?: number } = {}): Promise<StartedRedis> {
  const bin = redisBin();
  const port = await freeTcpPort('127.0.0.1');
  const dir = await mkdtemp(join(tmpdir(), 'livekit-lab-redis-'));
  const proc = new ManagedProcess({
    command: bin,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
    cwd: dir,
    stopGraceMs: 3000,
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (!(await ping(port))) {
    if (proc.hasExited || Date.now() > deadline) {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
      throw new ServerStartError(`redis-server on 127.0.0.1:${port} did not answer PING`, proc.lastLogs());
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let disposed: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${port}`,
    port,
    pid: proc.pid!,
    logs: () => proc.logs(),
    dispose() {
      disposed ??= proc.stop().then(() => rm(dir, { recursive: true, force: true }));
      return disposed;
    },
  };
}

/** True if a Redis answers `+PONG` on the port. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      data += d.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}
