import { JobType } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { signHs256 } from '../../mock-server/auth/jwt.ts';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import type { InspectorState } from '../../mock-server/inspector/inspector-state.ts';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';

const bearer = () => {
  const now = Math.floor(Date.now() / 1000);
  return `Bearer ${signHs256({ iss: 'devkey', sub: 't', nbf: now - 10, exp: now + 600 }, 'secret')}`;
};

/** Reads server-sent events until `until` says stop; returns them with their ids. */
async function readSse(url: string, headers: Record<string, string>, until: (events: { id: number; e: TraceEvent }[], raw: string) => boolean) {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers, signal: ctrl.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let raw = '';
  const events: { id: number; e: TraceEvent }[] = [];
  try {
    while (!until(events, raw)) {
      const { value, done } = await reader.read();
      if (done) break;
      raw += decoder.decode(value, { stream: true });
      events.length = 0;
      for (const block of raw.split('\n\n')) {
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data) events.push({ id: Number(id), e: JSON.parse(data) });
      }
    }
  } finally {
    ctrl.abort();
  }
  return { events, raw };
}

describe('the inspector over HTTP', () => {
  let server: StartedMockServer;
  const workers: RawWorker[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
    await server?.close();
  });

  const setup = async () => {
    server = await startMockServer({ port: 0, timing: 'fast', rtc: false });
    const w = new RawWorker({ url: server.url, apiKey: 'devkey', apiSecret: 'secret', agentName: 'a1', jobType: JobType.JT_ROOM });
    workers.push(w);
    await w.connect();
    await w.register();
    w.send({ case: 'updateWorker', value: { status: 0, load: 0.25 } as never });
    const rooms = new RoomServiceClient(server.httpUrl, 'devkey', 'secret');
    await rooms.createRoom({ name: 'r1', emptyTimeout: 120, agents: [{ agentName: 'a1' }] as never });
    await rooms.createRoom({ name: 'r2', agents: [{ agentName: 'nobody' }] as never });
    await eventually(() => (server.trace.events('job.ended').length && w.of('assignment').length ? '' : 'jobs not settled'));
    return w;
  };

  it('state: workers with load and running jobs, rooms with their empty-timeout deadline', async () => {
    const w = await setup();
    await eventually(() => (server.trace.events('worker.status').length ? '' : 'no status yet'));
    const state = (await (await fetch(`${server.httpUrl}/_lab/state`, { headers: { Authorization: bearer() } })).json()) as InspectorState;
    expect(state.workers).toEqual([expect.objectContaining({ workerId: w.workerId, agentName: 'a1', jobType: 'JT_ROOM', status: 'WS_AVAILABLE', load: 0.25, runningJobs: [w.of('assignment')[0].job!.id] })]);
    const r1 = state.rooms.find((r) => r.name === 'r1')!;
    expect(r1.timer!.kind).toBe('empty');
    expect(r1.timer!.timeoutSec).toBe(120);
    expect(r1.timer!.closesAt - state.now).toBeGreaterThan(100_000);
    expect(r1.dispatches).toEqual([expect.objectContaining({ agentName: 'a1' })]);
    expect(state.trace.events).toBe(server.trace.stats().events);
  });

  it('stream: the backlog with sequence numbers as ids, resumed after Last-Event-ID, worker status reports left out', async () => {
    await setup();
    const url = `${server.httpUrl}/_lab/stream?access_token=${encodeURIComponent(bearer().slice(7))}`;
    const first = await readSse(url, {}, (_e, raw) => raw.includes('event: caught-up'));
    const kinds = first.events.map((x) => x.e.kind);
    expect(kinds).toContain('job.ended');
    expect(kinds).not.toContain('worker.status');
    expect(kinds).not.toContain('worker.message');
    for (const x of first.events) expect(x.id).toBe(x.e.seq);
    const middle = first.events[Math.floor(first.events.length / 2)]!.id;
    const resumed = await readSse(url, { 'Last-Event-ID': String(middle) }, (_e, raw) => raw.includes('event: caught-up'));
    expect(resumed.events[0]!.id).toBeGreaterThan(middle);
    expect(resumed.events.map((x) => x.id)).toEqual(first.events.filter((x) => x.id > middle).map((x) => x.id));
    // live: a new event arrives on the open stream
    const live = readSse(url, {}, (events) => events.some((x) => x.e.kind === 'mark'));
    await fetch(`${server.httpUrl}/_lab/marks`, { method: 'POST', headers: { Authorization: bearer() }, body: JSON.stringify({ name: 'hello', source: 'test' }) });
    expect((await live).events.find((x) => x.e.kind === 'mark')).toBeDefined();
  });

  it('diagram.svg draws the filtered room only; events?download=1 is an attachment', async () => {
    await setup();
    const svg = (q: string) => fetch(`${server.httpUrl}/_lab/diagram.svg${q}`, { headers: { Authorization: bearer() } }).then((r) => r.text());
    const r2 = await svg('?room=r2');
    expect(r2).toContain('<svg');
    expect(r2).toContain('DROPPED: no worker for agent &quot;nobody&quot;');
    expect(r2).not.toContain('room r1 created');
    expect(await svg('?room=r1')).not.toContain('DROPPED');
    expect(await svg('?agent=nobody')).toContain('DROPPED');
    const res = await fetch(`${server.httpUrl}/_lab/events?download=1`, { headers: { Authorization: bearer() } });
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="dispatch-lab-trace-\d+\.jsonl"$/);
  });

  it('a one-time link works once and gives a token the control API accepts', async () => {
    server = await startMockServer({ port: 0, timing: 'fast', rtc: false });
    const code = new URL(server.inspectorLink()).hash.slice('#once='.length);
    const redeem = () => fetch(`${server.httpUrl}/_lab/session`, { method: 'POST', body: JSON.stringify({ once: code }) });
    const ok = await redeem();
    expect(ok.status).toBe(200);
    const { token, expiresAt } = (await ok.json()) as { token: string; expiresAt: number };
    expect(expiresAt).toBeGreaterThan(Date.now() + 3_600_000);
    expect((await fetch(`${server.httpUrl}/_lab/state`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const again = await redeem();
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toContain('already used');
    expect((await fetch(`${server.httpUrl}/_lab/session`, { method: 'POST', body: 'not json' })).status).toBe(401);
  });
});
