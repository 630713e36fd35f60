import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { AuthContext } from '../auth/claims.ts';
import { rejectUpgrade, writeText } from '../transport/http-helpers.ts';
import type { ServerExtension } from '../transport/server-extension.ts';
import { validateJoin, type JoinPlan } from './join-validation.ts';
import { RtcJoinError } from './rtc-errors.ts';
import { RtcSocket } from './rtc-socket.ts';
import type { SessionRegistry } from './session-registry.ts';

const RTC_PATHS: Record<string, { v1: boolean }> = { '/rtc': { v1: false }, '/rtc/v1': { v1: true } };
const VALIDATE_PATHS: Record<string, { v1: boolean }> = { '/rtc/validate': { v1: false }, '/rtc/v1/validate': { v1: true } };
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error' };

/** rtcservice.go's HTTP face: /rtc and /rtc/v1 upgrades, their /validate twins; validated joins go to the registry. */
export function createRtcRouter(registry: SessionRegistry): ServerExtension {
  // skipUTF8Validation: gorilla/websocket hands invalid UTF-8 text frames to the read loop (which fails to
  // decode them and closes with 1000) where ws would send its own 1007 close (found by /rtc fuzzing)
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true, skipUTF8Validation: true });
  return {
    handleRequest(_req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, auth: AuthContext | undefined): boolean {
      if (RTC_PATHS[path]) {
        res.writeHead(404).end(); // not a WebSocket upgrade
        return true;
      }
      const validate = VALIDATE_PATHS[path];
      if (!validate) return false;
      try {
        validateJoin(auth, query, validate.v1, true);
        writeText(res, 200, 'success');
      } catch (e) {
        if (!(e instanceof RtcJoinError)) throw e;
        writeText(res, e.status, e.body);
      }
      return true;
    },

    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, query: URLSearchParams, auth: AuthContext | undefined): boolean {
      const route = RTC_PATHS[path];
      if (!route) return false;
      let plan: JoinPlan;
      try {
        plan = validateJoin(auth, query, route.v1, false);
      } catch (e) {
        if (!(e instanceof RtcJoinError)) throw e;
        rejectUpgrade(socket, e.status, STATUS_TEXT[e.status] ?? 'Error', e.body);
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const conn = new RtcSocket(ws);
        const listener = registry.open(conn, plan);
        if (listener) conn.attach(listener);
      });
      return true;
    },

    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
