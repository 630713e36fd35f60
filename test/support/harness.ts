import { AccessToken, AgentDispatchClient, RoomServiceClient, type VideoGrant } from 'livekit-server-sdk';
import { SignJWT } from 'jose';
import { startMockServer, type MockServerOptions, type StartedMockServer } from '../../mock-server/index.ts';
import type { JobOutcome, TraceEvent, TraceEventOf } from '../../mock-server/trace/events.ts';
import { eventually } from './eventually.ts';
import { RawWorker, type RawWorkerOptions } from './raw-worker.ts';

/**
 * Shared setup for the mock-server socket tests: one server per test (port 0, fast timing, a seed),
 * raw workers that are closed afterwards, tokens, and trace helpers.
 */
export interface Lab {
  server: StartedMockServer;
  rooms: RoomServiceClient;
  dispatch: AgentDispatchClient;
  worker(opts?: Partial<RawWorkerOptions>): Promise<RawWorker>;
  /** A connected but unregistered worker. */
  socket(opts?: Partial<RawWorkerOptions>): Promise<RawWorker>;
  /** A token signed with the server's first key. */
  token(grant: VideoGrant, opts?: { identity?: string; kind?: string }): Promise<string>;
  adminToken(room: string): Promise<string>;
  events<K extends TraceEvent['kind']>(kind: K): TraceEventOf<K>[];
  ended(jobId: string): TraceEventOf<'job.ended'> | undefined;
  /** Waits until `n` job.ended events match, returns them. */
  waitEnded(filter: (e: TraceEventOf<'job.ended'>, created: TraceEventOf<'job.created'>) => boolean, n?: number, timeoutMs?: number): Promise<TraceEventOf<'job.ended'>[]>;
  created(jobId: string): TraceEventOf<'job.created'>;
  control(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function startLab(options: MockServerOptions = {}): Promise<Lab> {
  const server = await startMockServer({ port: 0, timing: 'fast', seed: 42, ...options });
  const workers: RawWorker[] = [];
  const key = server.apiKey;
  const secret = server.apiSecret;
  const lab: Lab = {
    server,
    rooms: new RoomServiceClient(server.httpUrl, key, secret),
    dispatch: new AgentDispatchClient(server.httpUrl, key, secret),
    async socket(opts = {}) {
      const w = new RawWorker({ url: server.url, apiKey: key, apiSecret: secret, ...opts });
      workers.push(w);
      await w.connect();
      return w;
    },
    async worker(opts = {}) {
      const w = await lab.socket(opts);
      return w.register();
    },
    async token(grant, opts = {}) {
      const at = new AccessToken(key, secret, { identity: opts.identity ?? 'tester' });
      at.addGrant(grant);
      if (opts.kind) at.kind = opts.kind as never;
      return at.toJwt();
    },
    adminToken: (room) => lab.token({ roomAdmin: true, room }),
    events: (kind) => server.trace.events(kind),
    ended: (jobId) => server.trace.events('job.ended').find((e) => e.jobId === jobId),
    created(jobId) {
      const c = server.trace.events('job.created').find((e) => e.jobId === jobId);
      if (!c) throw new Error(`no job.created for ${jobId}`);
      return c;
    },
    async waitEnded(filter, n = 1, timeoutMs = 10_000) {
      let found: TraceEventOf<'job.ended'>[] = [];
      await eventually(
        () => {
          found = server.trace.events('job.ended').filter((e) => filter(e, lab.created(e.jobId)));
          return found.length >= n ? '' : `${found.length}/${n} matching job.ended events; all ended: ${describeEnded(server)}`;
        },
        { timeoutMs },
      );
      return found;
    },
    async control(method, path, body) {
      const t = await lab.token({ roomAdmin: true });
      return fetch(`${server.httpUrl}/_lab${path}`, {
        method,
        headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      for (const w of workers) if (!w.closed) w.ws?.terminate();
      await server.close();
    },
  };
  return lab;
}

export function describeEnded(server: StartedMockServer): string {
  const created = new Map(server.trace.events('job.created').map((c) => [c.jobId, c]));
  const ended = server.trace.events('job.ended').map((e) => {
    const c = created.get(e.jobId);
    return `${c?.jobType}/${c?.agentName || '""'}@${c?.room}:${e.outcome}`;
  });
  return ended.length ? ended.join(', ') : 'none';
}

/** Signs arbitrary claims with HS256 (an implementation independent of the mock's). */
export async function signClaims(claims: Record<string, unknown>, secret: string, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, any> } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), claims: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

export const outcomes = (events: TraceEventOf<'job.ended'>[]): JobOutcome[] => events.map((e) => e.outcome);

/** Waits until the worker has received `n` messages of a kind. */
export async function received<C extends NonNullable<RawWorker['received'][number]['message']['case']>>(
  w: RawWorker,
  kase: C,
  n = 1,
  timeoutMs = 5_000,
): Promise<ReturnType<RawWorker['of']>> {
  await eventually(() => (w.of(kase).length >= n ? '' : `worker ${w.workerId || '(unregistered)'} has ${w.of(kase).length}/${n} "${kase}" messages`), { timeoutMs });
  return w.of(kase) as never;
}

export async function waitClosed(w: RawWorker, timeoutMs = 5_000): Promise<number | undefined> {
  await eventually(() => (w.closed ? '' : 'socket still open'), { timeoutMs });
  return w.closeCode;
}
