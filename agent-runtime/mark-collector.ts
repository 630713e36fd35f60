import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeUnverified, verifyHs256 } from '../mock-server/auth/jwt.ts';
import type { JsonObject } from '../mock-server/trace/events.ts';
import type { TargetTrace } from '../targets/livekit-target.ts';

export const MARKS_PATH = '/_lab/marks';
const MAX_BODY = 64 * 1024;

export interface MarkCollectorOptions {
  trace: TargetTrace;
  apiKey: string;
  apiSecret: string;
  port?: number;
}

export interface MarkCollector {
  /** Full URL of the marks endpoint (http://127.0.0.1:<port>/_lab/marks). */
  readonly url: string;
  close(): Promise<void>;
}

/** Parses and checks a mark body: `{name, source, jobId?, workerId?, data?}`. Returns an error text or the mark. */
export function parseMarkBody(raw: string): { error: string } | { mark: { name: string; source: string; jobId?: string; workerId?: string; data: JsonObject } } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { error: 'body is not JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'body must be an object' };
  const b = body as Record<string, unknown>;
  if (typeof b.name !== 'string' || !b.name) return { error: 'name must be a non-empty string' };
  if (typeof b.source !== 'string' || !b.source) return { error: 'source must be a non-empty string' };
  for (const k of ['jobId', 'workerId'] as const) {
    if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string') return { error: `${k} must be a string` };
  }
  if (b.data !== undefined && (typeof b.data !== 'object' || b.data === null || Array.isArray(b.data))) {
    return { error: 'data must be an object' };
  }
  const mark: { name: string; source: string; jobId?: string; workerId?: string; data: JsonObject } = {
    name: b.name,
    source: b.source,
    data: (b.data as JsonObject | undefined) ?? {},
  };
  if (typeof b.jobId === 'string' && b.jobId) mark.jobId = b.jobId;
  if (typeof b.workerId === 'string' && b.workerId) mark.workerId = b.workerId;
  return { mark };
}

function authorized(req: IncomingMessage, apiKey: string, apiSecret: string): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return false;
  const token = header.slice('Bearer '.length);
  try {
    if (decodeUnverified(token).claims.iss !== apiKey) return false;
    return verifyHs256(token, apiSecret, Math.floor(Date.now() / 1000)) === undefined;
  } catch {
    return false;
  }
}

function reply(res: ServerResponse, status: number, text?: string): void {
  res.writeHead(status, text ? { 'content-type': 'text/plain' } : {});
  res.end(text);
}

/**
 * The lab's marks endpoint as a standalone HTTP server on 127.0.0.1: the same contract as the mock's
 * `POST /_lab/marks` (Bearer JWT signed with the target's key, JSON body, 204), recording each mark into
 * the given trace. Real-server targets have no /_lab, so scripted agents post here instead.
 */
export async function startMarkCollector({ trace, apiKey, apiSecret, port = 0 }: MarkCollectorOptions): Promise<MarkCollector> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== MARKS_PATH) return reply(res, 404, 'not found');
    if (req.method !== 'POST') return reply(res, 405, 'method not allowed');
    if (!authorized(req, apiKey, apiSecret)) return reply(res, 401, 'invalid authorization token');
    let raw = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
      if (raw.length > MAX_BODY) tooLarge = true;
    });
    req.on('end', () => {
      if (tooLarge) return reply(res, 413, 'body too large');
      const parsed = parseMarkBody(raw);
      if ('error' in parsed) return reply(res, 400, parsed.error);
      trace.record({ kind: 'mark', ...parsed.mark });
      reply(res, 204);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}${MARKS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
