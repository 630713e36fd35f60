import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { systemClock } from '../mock-server/core/clock.ts';
import { Trace } from '../mock-server/trace/trace.ts';
import { TapJobBook, TapRecorder } from './tap-recorder.ts';
import { toHttpUrl, toWsUrl } from './urls.ts';

export interface WireTapOptions {
  /** The real server, ws:// or http:// (its base URL; the client's path and query are appended). */
  upstreamUrl: string;
  /** Record into this trace (a cluster shares one across nodes); a new one otherwise. */
  trace?: Trace;
  /** Prefix of the socket ids in the trace, to tell taps apart in a shared trace. */
  socketIdPrefix?: string;
}

export interface WireTap {
  /** ws://127.0.0.1:<port>: give this to workers instead of the server's URL. */
  readonly url: string;
  readonly httpUrl: string;
  readonly trace: Trace;
  /** Proxied sockets currently open. */
  readonly openSockets: number;
  close(): Promise<void>;
}

/**
 * A WebSocket proxy between workers and a real livekit-server that relays every frame unchanged and
 * records it, decoded, as the same trace events the mock emits. Plain HTTP requests are passed
 * through too, so the tap URL can stand in for the server URL entirely.
 */
export async function startWireTap(opts: WireTapOptions): Promise<WireTap> {
  const upstreamWs = toWsUrl(opts.upstreamUrl);
  const upstreamHttp = toHttpUrl(opts.upstreamUrl);
  const trace = opts.trace ?? new Trace(systemClock);
  const jobs = new TapJobBook();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  let counter = 0;

  const server: Server = createServer((req, res) => {
    // plain HTTP (Twirp, health): pass through untouched
    const up = httpRequest(new URL(req.url ?? '/', upstreamHttp), { method: req.method, headers: { ...req.headers, host: new URL(upstreamHttp).host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`wire tap: upstream unreachable: ${err.message}`);
    });
    req.pipe(up);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    const upstream = new WebSocket(new URL(req.url ?? '/', upstreamWs), { headers, perMessageDeflate: false });
    const early: { data: RawData; isBinary: boolean }[] = [];
    let client: WebSocket | undefined;
    sockets.add(upstream);
    upstream.on('error', () => undefined); // failures surface as 'close' / 'unexpected-response'
    socket.on('error', () => undefined);
    const clientGone = () => upstream.readyState === WebSocket.CONNECTING && upstream.terminate();
    socket.once('close', clientGone);

    upstream.once('unexpected-response', (_r, res) => {
      // the server refused the upgrade: answer the worker with the same status and body
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const type = res.headers['content-type'];
        socket.end(
          `HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ''}\r\n` +
            (type ? `Content-Type: ${type}\r\n` : '') +
            `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n` +
            body.toString('latin1'),
          'latin1',
        );
        upstream.terminate();
        sockets.delete(upstream);
      });
    });
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('error', (err) => {
      if (client || socket.destroyed) return;
      const body = `wire tap: upstream ${upstreamWs} unreachable: ${err.message}`;
      socket.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    upstream.on('message', (data, isBinary) => {
      if (client) return;
      early.push({ data, isBinary });
    });

    upstream.once('open', () => {
      socket.off('close', clientGone);
      if (socket.destroyed) return upstream.terminate();
      wss.handleUpgrade(req, socket, head, (ws) => {
        client = ws;
        sockets.add(ws);
        const recorder = new TapRecorder(`${opts.socketIdPrefix ?? 'tap'}-${++counter}`, trace, jobs);
        relay(ws, upstream, recorder, early);
        ws.once('close', () => sockets.delete(ws));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;

  return {
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    trace,
    get openSockets() {
      return [...sockets].filter((s) => s.readyState === WebSocket.OPEN).length;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

function relay(client: WebSocket, upstream: WebSocket, recorder: TapRecorder, early: { data: RawData; isBinary: boolean }[]): void {
  const toServer = (data: RawData, isBinary: boolean) => {
    recorder.fromWorker(frame(data, isBinary));
    if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
  };
  const toWorker = (data: RawData, isBinary: boolean) => {
    recorder.fromServer(frame(data, isBinary));
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
  };
  upstream.removeAllListeners('message');
  for (const e of early.splice(0)) toWorker(e.data, e.isBinary);
  upstream.on('message', toWorker);
  client.on('message', toServer);
  client.on('error', () => undefined);

  client.once('close', (code, reason) => {
    recorder.closed(`worker closed the socket (code ${code})`);
    closeLike(upstream, code, reason);
  });
  upstream.once('close', (code, reason) => {
    recorder.closed(code === 1006 ? 'server dropped the connection without a close frame' : `server closed the socket (code ${code})`);
    // livekit-server closes without a close frame; the worker should see the same abnormal closure
    closeLike(client, code, reason);
  });
}

/** Closes `ws` the way the other side closed: same code, an empty close frame (1005), or no frame (1006). */
function closeLike(ws: WebSocket, code: number, reason: Buffer): void {
  const sendable = (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
  if (sendable) ws.close(code, reason);
  else if (code === 1005) ws.close();
  else ws.terminate();
}

function frame(data: RawData, isBinary: boolean): Uint8Array | string {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return isBinary ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : buf.toString('utf8');
}
