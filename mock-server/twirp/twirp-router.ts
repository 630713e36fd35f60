import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthContext } from '../auth/claims.ts';
import { TwirpError } from '../core/errors.ts';
import type { Trace } from '../trace/trace.ts';
import { badRoute, decodeRequest, encodeResponse, requestEncoding } from './twirp-codec.ts';
import type { TwirpService } from './twirp-service.ts';

export const TWIRP_PREFIX = '/twirp/';

/** Serves `POST /twirp/livekit.<Service>/<Method>`; every error is Twirp JSON with content type exactly application/json. */
export async function serveTwirp(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: Buffer,
  auth: AuthContext | undefined,
  services: Record<string, TwirpService>,
  trace: Trace,
): Promise<void> {
  const [, , pkgService = '', methodName = ''] = path.split('/');
  let room: string | undefined;
  try {
    if (req.method !== 'POST') throw badRoute(`unsupported method ${JSON.stringify(req.method)} (only POST is allowed)`, req.method ?? '', path);
    const service = services[pkgService];
    if (!service) throw new TwirpError('unimplemented', `${pkgService} is not provided by dispatch-lab's mock server`);
    const m = service[methodName];
    if (!m) throw badRoute(`no handler for path ${JSON.stringify(path)}`, req.method, path);
    const encoding = requestEncoding(req.headers['content-type'], req.method, path);
    const input = decodeRequest(m.input, body, encoding);
    room = m.roomOf?.(input);
    const output = await m.handle(input, auth);
    const { body: out, contentType } = encodeResponse(output, encoding);
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': out.length });
    res.end(out);
    trace.record({ kind: 'api.call', service: pkgService, method: methodName, status: 200, ...(room !== undefined ? { room } : {}) });
  } catch (e) {
    const err = e instanceof TwirpError ? e : new TwirpError('internal', (e as Error).message ?? String(e));
    writeTwirpError(res, err);
    trace.record({ kind: 'api.call', service: pkgService, method: methodName, status: err.status, code: err.code, ...(room !== undefined ? { room } : {}) });
  }
}

export function writeTwirpError(res: ServerResponse, err: TwirpError): void {
  const out = Buffer.from(JSON.stringify(err.toJSON()));
  res.writeHead(err.status, { 'Content-Type': 'application/json', 'Content-Length': out.length });
  res.end(out);
}

/**
 * Services livekit-server registers that the lab deliberately leaves out (listed in the README). Egress and
 * Ingress are served as the dev server without Redis answers them (io-services.ts); SIP by mock-server/sip.
 */
export const REAL_ONLY_SERVICES: ReadonlySet<string> = new Set<string>();
