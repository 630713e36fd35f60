import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceEvent } from '../trace/events.ts';
import type { Trace } from '../trace/trace.ts';

/** Kinds the inspector leaves out of its stream unless asked (`all=1`): one per worker every 2.5 s. */
const CHATTY = new Set(['worker.message', 'worker.status']);
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events from the trace: `id` is the sequence number, so a reconnecting EventSource resumes
 * with Last-Event-ID and misses nothing still retained. `since` (or Last-Event-ID) picks the backlog.
 */
export function streamSse(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, trace: Trace): void {
  const since = Number(req.headers['last-event-id'] ?? query.get('since') ?? 0) || 0;
  const all = query.get('all') === '1';
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  const send = (e: TraceEvent) => {
    if (!all && CHATTY.has(e.kind)) return;
    res.write(`id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`);
  };
  res.write('retry: 2000\n\n');
  for (const e of trace.since(since)) send(e);
  res.write(`event: caught-up\ndata: ${trace.lastSeq}\n\n`);
  const off = trace.onEvent(send);
  const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  beat.unref();
  req.on('close', () => {
    off();
    clearInterval(beat);
  });
}
