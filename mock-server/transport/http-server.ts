import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ApiKeys } from '../auth/api-keys.ts';
import type { AuthContext } from '../auth/claims.ts';
import { authenticateRequest } from '../auth/request-auth.ts';
import { AuthError } from '../core/errors.ts';
import { signHs256 } from '../auth/jwt.ts';
import { CONTROL_PREFIX, serveControl } from '../control/control-api.ts';
import type { WorkerSession } from '../agent/worker-session.ts';
import { inspectorState, type WorkerClientInfo } from '../inspector/inspector-state.ts';
import type { OneTimeLinks } from '../inspector/one-time-links.ts';
import type { MockCore } from '../server/mock-core.ts';
import { REAL_ONLY_SERVICES, serveTwirp, TWIRP_PREFIX } from '../twirp/twirp-router.ts';
import type { TwirpService } from '../twirp/twirp-service.ts';
import { AgentSocket } from './agent-socket.ts';
import { readBody, rejectUpgrade, requestPath, writeNotFound, writeText } from './http-helpers.ts';
import type { ServerExtension } from './server-extension.ts';

/** Twirp bodies above this are refused (v1.13.5 has no limit; this only protects the lab's memory). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface HttpLayerDeps {
  core: MockCore;
  keys: ApiKeys;
  services: Record<string, TwirpService>;
  extensions: ServerExtension[];
  /** One-time sign-in codes for the inspector at /_lab/. */
  links: OneTimeLinks;
}

/** How long the inspector's session token (after a one-time link) is valid. */
const INSPECTOR_SESSION_SEC = 12 * 3600;

/** The thin HTTP/ws shell: livekit-server's auth middleware, then routing to Twirp, /agent, /_lab and extensions. */
export function createHttpLayer(deps: HttpLayerDeps): Server {
  const { core, keys } = deps;
  // No permessage-deflate: livekit-server v1.13.5 negotiates no extension on /agent (checked against the binary),
  // and compressing every JobAssignment was the largest mock-owned cost in a throughput CPU profile.
  // skipUTF8Validation: gorilla/websocket passes invalid UTF-8 text frames to the handler (which then fails to
  // decode them and drops the connection) where ws would answer with a 1007 close frame of its own.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, skipUTF8Validation: true });
  const clients = new WeakMap<WorkerSession, WorkerClientInfo>();
  const [sessionKey, sessionSecret] = [...keys][0] ?? ['', ''];
  const inspector = {
    state: () => inspectorState(core, clients),
    links: deps.links,
    sessionToken: () => {
      const now = Math.floor(core.ctx.clock.now() / 1000);
      const exp = now + INSPECTOR_SESSION_SEC;
      return { token: signHs256({ iss: sessionKey, sub: 'inspector', nbf: now - 10, exp }, sessionSecret), expiresAt: exp * 1000 };
    },
  };

  const authenticate = (req: IncomingMessage, query: URLSearchParams): AuthContext | undefined =>
    authenticateRequest({ authorization: req.headers.authorization, accessToken: query.get('access_token') }, keys, core.ctx.clock.now());

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const { path, query } = requestPath(req);
    let auth: AuthContext | undefined;
    try {
      auth = authenticate(req, query);
    } catch (e) {
      if (e instanceof AuthError) return writeText(res, e.status, e.body);
      throw e;
    }
    if (path === '/') return writeText(res, 200, 'OK');
    if (path === '/agent') return void res.writeHead(404).end(); // not a WebSocket request
    for (const ext of deps.extensions) if (ext.handleRequest?.(req, res, path, query, auth)) return;
    if (path.startsWith(TWIRP_PREFIX)) {
      const service = path.split('/')[2] ?? '';
      if (!deps.services[service] && !REAL_ONLY_SERVICES.has(service)) return writeNotFound(res);
      const body = await readBody(req, MAX_BODY_BYTES);
      if (!body) return writeText(res, 413, 'request body too large');
      return serveTwirp(req, res, path, body, auth, deps.services, core.trace);
    }
    if (path.startsWith(CONTROL_PREFIX)) {
      const body = (await readBody(req, MAX_BODY_BYTES)) ?? Buffer.alloc(0);
      return serveControl(req, res, path, query, body, auth, {
        trace: core.trace,
        rooms: core.rooms,
        ids: core.ctx.ids,
        faults: core.faults,
        telephony: core.telephony,
        restart: () => core.restart(),
        closeWorkers: (target, abrupt) => core.closeWorkers(target, abrupt),
        inspector,
      });
    }
    writeNotFound(res);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const { path, query } = requestPath(req);
    let auth: AuthContext | undefined;
    try {
      auth = authenticate(req, query);
    } catch (e) {
      if (e instanceof AuthError) return rejectUpgrade(socket, e.status, 'Unauthorized', e.body);
      throw e;
    }
    if (path === '/agent') {
      if (!auth?.grants.video?.agent) return rejectUpgrade(socket, 401, 'Unauthorized', 'no permissions to access the room');
      return wss.handleUpgrade(req, socket, head, (ws) => {
        const agentSocket = new AgentSocket(ws, core.faults);
        const session = core.openWorkerSession(agentSocket, auth);
        clients.set(session, { userAgent: req.headers['user-agent'] ?? '', connectedAt: core.ctx.clock.now() });
        agentSocket.attach(session, (ms, fn) => core.ctx.clock.setTimer(ms, fn), core.ctx.timing.wsPingIntervalMs);
      });
    }
    for (const ext of deps.extensions) if (ext.handleUpgrade?.(req, socket, head, path, query, auth)) return;
    rejectUpgrade(socket, 404, 'Not Found', '404 page not found\n');
  };

  // Go's http.DefaultMaxHeaderBytes (1 MiB, plus bufio's 4 KiB slack): a join_request of up to 1 MiB fits
  // in the URL on livekit-server, where Node's 16 KiB default answers 431 (found by /rtc fuzzing)
  const server = createServer({ maxHeaderSize: (1 << 20) + 4096 }, (req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      if (!res.headersSent) writeText(res, 500, `internal error: ${(e as Error).message}`);
      else res.end();
    });
  });
  server.on('upgrade', onUpgrade);
  server.on('close', () => wss.close());
  return server;
}
