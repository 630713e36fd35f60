import { JobType, UpdateJobStatus, JobStatus } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { eventually } from '../support/eventually.ts';
import { received, startLab, type Lab } from '../support/harness.ts';

describe('the trace', () => {
  let lab: Lab;
  afterEach(() => lab?.close());

  it('every job ends in exactly one job.ended, whatever happens to it', async () => {
    lab = await startLab();
    const accept = await lab.worker({ agentName: 'acc' });
    await lab.worker({ agentName: 'rej', answer: () => ({ available: false }) });
    await lab.worker({ agentName: 'dec', answer: () => ({ terminate: true }) });
    await lab.worker({ agentName: 'slow', answer: () => 'ignore' });
    const orphan = await lab.worker({ agentName: 'orph' });
    const done = await lab.worker({ agentName: 'done' });
    const del = await lab.worker({ agentName: 'del' });
    for (const name of ['acc', 'rej', 'dec', 'slow', 'orph', 'done', 'missing']) await lab.dispatch.createDispatch('mix', name);
    const d = await lab.dispatch.createDispatch('mix', 'del');
    await received(orphan, 'assignment');
    await received(accept, 'assignment');
    const [dj] = (await received(done, 'assignment')) as { job: { id: string } }[];
    done.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: dj.job.id, status: JobStatus.JS_SUCCESS }) });
    await received(del, 'assignment');
    await eventually(async () => ((await lab.dispatch.listDispatch('mix')).find((x) => x.id === d.id)?.state?.jobs.length ? '' : 'del job not stored'));
    await lab.dispatch.deleteDispatch(d.id, 'mix');
    await orphan.close();
    const byOutcome = async (outcome: string) => (await lab.waitEnded((e) => e.outcome === outcome)).length;
    for (const o of ['rejected', 'declined', 'timed_out', 'orphaned', 'completed', 'terminated', 'dropped']) expect(await byOutcome(o), o).toBeGreaterThan(0);
    const trace = lab.server.trace;
    await lab.close(); // ends what is still open (the accepted job: its socket drops with the server)
    const created = trace.events('job.created');
    const endings = trace.events('job.ended');
    for (const c of created) expect(endings.filter((e) => e.jobId === c.jobId), c.jobId).toHaveLength(1);
    expect(endings.map((e) => e.jobId).every((id) => created.some((c) => c.jobId === id))).toBe(true);
    expect(trace.events('log').filter((l) => l.message.includes('ended twice'))).toHaveLength(0);
    expect(trace.events('job.created').length).toBe(endings.length);
  });

  it('records every worker message in and out with its case', async () => {
    lab = await startLab();
    const w = await lab.worker({ jobType: JobType.JT_ROOM });
    await lab.rooms.createRoom({ name: 'msgs' });
    await received(w, 'assignment');
    const msgs = lab.events('worker.message').map((m) => `${m.direction}:${m.case}`);
    expect(msgs).toEqual(['in:register', 'out:register', 'out:availability', 'in:availability', 'out:assignment']);
  });

  const get = async (query: string, token?: string) => {
    const t = token ?? (await lab.token({ roomList: true }));
    return fetch(`${lab.server.httpUrl}/_lab/events${query}`, { headers: { Authorization: `Bearer ${t}` } });
  };
  const lines = async (res: Response): Promise<TraceEvent[]> =>
    (await res.text())
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TraceEvent);

  it('/_lab/events serves JSON lines; since skips older events; reset forgets them', async () => {
    lab = await startLab();
    await lab.rooms.createRoom({ name: 'ev1' });
    const res = await get('');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const all = await lines(res);
    expect(all.map((e) => e.seq)).toEqual(lab.server.trace.events().map((e) => e.seq));
    expect(all.some((e) => e.kind === 'room.created')).toBe(true);
    const last = all.at(-1)!.seq;
    await lab.rooms.createRoom({ name: 'ev2' });
    const newer = await lines(await get(`?since=${last}`));
    expect(newer.length).toBeGreaterThan(0);
    expect(newer.every((e) => e.seq > last)).toBe(true);
    expect(newer.find((e) => e.kind === 'room.created')).toMatchObject({ room: 'ev2' });

    const reset = await lab.control('POST', '/reset');
    expect(reset.status).toBe(200);
    const { lastSeq } = (await reset.json()) as { lastSeq: number };
    expect(lastSeq).toBeGreaterThanOrEqual(newer.at(-1)!.seq);
    // the reset drops everything recorded so far; numbering continues
    const after = await lines(await get(''));
    expect(after.every((e) => e.seq > lastSeq)).toBe(true);
    expect(after.filter((e) => e.kind === 'room.created')).toHaveLength(0);
  });

  it('/_lab/events?follow=1 keeps streaming new events', async () => {
    lab = await startLab();
    const t = await lab.token({ roomList: true });
    const ac = new AbortController();
    const res = await fetch(`${lab.server.httpUrl}/_lab/events?follow=1&since=${lab.server.trace.lastSeq}`, {
      headers: { Authorization: `Bearer ${t}` },
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    await lab.rooms.createRoom({ name: 'followed' });
    await eventually(() => (text.includes('"room":"followed"') ? '' : `streamed so far: ${text.length} bytes`));
    const events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceEvent);
    expect(events.find((e) => e.kind === 'room.created')).toMatchObject({ room: 'followed' });
    ac.abort();
    await reading;
  });

  it('the control API refuses requests without a valid token', async () => {
    lab = await startLab();
    const none = await fetch(`${lab.server.httpUrl}/_lab/events`);
    expect(none.status).toBe(401);
    const bad = await get('', 'not.a.jwt');
    expect(bad.status).toBe(401);
    expect(await bad.text()).toBe('invalid authorization token');
    const reset = await fetch(`${lab.server.httpUrl}/_lab/reset`, { method: 'POST' });
    expect(reset.status).toBe(401);
    const join = await fetch(`${lab.server.httpUrl}/_lab/rooms/r/participants`, { method: 'POST', body: JSON.stringify({ identity: 'a' }) });
    expect(join.status).toBe(401);
    expect(lab.server.core.rooms.get('r')).toBeUndefined();
  });

  it('the in-process trace can be followed with subscribe()', async () => {
    lab = await startLab();
    const ac = new AbortController();
    const seen: TraceEvent[] = [];
    const loop = (async () => {
      for await (const e of lab.server.trace.subscribe(ac.signal)) {
        seen.push(e);
        if (e.kind === 'room.created') break;
      }
    })();
    await lab.rooms.createRoom({ name: 'sub' });
    await loop;
    expect(seen.at(-1)).toMatchObject({ kind: 'room.created', room: 'sub' });
    ac.abort();
  });
});
