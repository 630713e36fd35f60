import { ServerStartError } from './errors.ts';

export interface WaitForHttpOptions {
  url: string;
  status?: number;
  timeoutMs?: number;
  intervalMs?: number;
  /** Polled too: a process that died will never answer, so stop waiting at once. */
  isDead?: () => string | undefined;
  lastLogs?: () => string[];
}

/** Polls `GET url` until it answers `status` (livekit's `/` says 406 "Not Ready" until node stats exist). */
export async function waitForHttp(opts: WaitForHttpOptions): Promise<void> {
  const { url, status = 200, timeoutMs = 30_000, intervalMs = 100 } = opts;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const dead = opts.isDead?.();
    if (dead) throw new ServerStartError(`${url} will never answer: ${dead}`, opts.lastLogs?.() ?? []);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(intervalMs, 1000)) });
      const body = await res.text();
      if (res.status === status) return;
      last = `HTTP ${res.status} ${body.trim().slice(0, 80)}`;
    } catch (err) {
      last = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new ServerStartError(`GET ${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`, opts.lastLogs?.() ?? []);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
