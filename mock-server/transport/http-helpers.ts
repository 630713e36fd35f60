import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * livekit-server's RemoveDoubleSlashes middleware: a path starting with `//` loses one slash.
 * (The raw request target is appended to an origin: resolving `//agent` against a base would read it as a host.)
 */
export function requestPath(req: IncomingMessage): { path: string; query: URLSearchParams } {
  const raw = req.url ?? '/';
  const url = raw.startsWith('/') ? new URL(`http://mock.invalid${raw}`) : new URL(raw, 'http://mock.invalid');
  const path = url.pathname.startsWith('//') ? url.pathname.slice(1) : url.pathname;
  return { path, query: url.searchParams };
}

export function writeText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Go's http.NotFound. */
export const writeNotFound = (res: ServerResponse) => writeText(res, 404, '404 page not found\n');

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A raw HTTP response on an upgrade socket that will not be upgraded. */
export function rejectUpgrade(socket: import('node:stream').Duplex, status: number, statusText: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
