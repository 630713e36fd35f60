import { JobType, WorkerPing, protoInt64 } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { FaultError, parseFault } from '../../mock-server/faults/fault.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import { FaultProxy } from '../../targets/fault-proxy.ts';
import { token } from '../../fuzz/tokens.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
}, 60_000);

async function mock(): Promise<StartedMockServer> {
  const s = await startMockServer({ port: 0, timing: 'fast', seed: 5 });
  cleanups.push(() => s.close());
  return s;
}

const control = (s: StartedMockServer, method: string, path: string, body?: unknown, tok?: string | null) =>
  fetch(`${s.httpUrl}/_lab/${path}`, {
    method,
    headers: { ...(tok === null ? {} : { Authorization: `Bearer ${tok ?? token(s, { roomAdmin: true })}` }), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function worker(url: string, s: { apiKey: string; apiSecret: string }, agentName = 'fa'): Promise<RawWorker> {
  const w = new RawWorker({ url, apiKey: s.apiKey, apiSecret: s.apiSecret, agentName, jobType: JobType.JT_ROOM });
  cleanups.push(() => w.close());
  await w.connect();
  return w.register();
}

/** A worker that reconnects and registers again whenever its socket drops, as agent frameworks do. */
function reconnecting(url: string, s: { apiKey: string; apiSecret: string }, agentName: string) {
  const state = { current: undefined as RawWorker | undefined, registrations: [] as string[], stopped: false };
  const loop = async () => {
    while (!state.stopped) {
      const w = new RawWorker({ url, apiKey: s.apiKey, apiSecret: s.apiSecret, agentName, jobType: JobType.JT_ROOM });
      try {
        await w.connect();
        await w.register();
        state.current = w;
        state.registrations.push(w.workerId);
        await eventually(() => (w.closed || state.stopped ? '' : 'connected'), { timeoutMs: 600_000, intervalMs: 20 });
      } catch {
        await new Promise((r) => setTimeout(r, 50)); // back off before reconnecting
      } finally {
        w.ws?.terminate();
      }
    }
  };
  const running = loop();
  cleanups.push(async () => {
    state.stopped = true;
    state.current?.ws.terminate();
    await running;
  });
  return state;
}

/** Round trip of a WorkerPing through whatever is between the worker and the server. */
async function pingRtt(w: RawWorker): Promise<number> {
  const before = w.of('pong').length;
  const t0 = Date.now();
  w.send({ case: 'ping', value: new WorkerPing({ timestamp: protoInt64.parse(t0) }) });
  await eventually(() => (w.of('pong').length > before ? '' : 'no pong yet'), { timeoutMs: 10_000 });
  return Date.now() - t0;
}

describe('fault objects', () => {
  it('parseFault gives the same object for a scenario (YAML) and the control API (JSON), and refuses bad ones with FaultError', () => {
    const yaml = 'name: slow-offers\ntype: delay\ndirection: out\nms: 250\nmessages: [availability]\ntarget:\n  agentName: fa\n';
    const json = '{"name":"slow-offers","type":"delay","direction":"out","ms":250,"messages":["availability"],"target":{"agentName":"fa"}}';
    expect(parseFault(parseYaml(yaml))).toEqual(parseFault(JSON.parse(json)));
    expect(parseFault({ name: 'x', type: 'drop' })).toEqual({ name: 'x', type: 'drop', direction: 'both' });
    expect(parseFault({ name: 'r', type: 'restart' })).toEqual({ name: 'r', type: 'restart' });
    for (const bad of [null, {}, { name: 'x', type: 'explode' }, { name: 'x', type: 'delay' }, { name: 'x', type: 'delay', ms: -1 }, { name: 'x', type: 'drop', messages: ['nope'] }, { name: 'x', type: 'drop', direciton: 'in' }, { name: 'x', type: 'close', target: { socket: 'r' } }]) {
      expect(() => parseFault(bad), JSON.stringify(bad)).toThrow(FaultError);
    }
  });

  it('the control API adds, lists, removes one and resets all faults in one call; it needs a valid token', async () => {
    const s = await mock();
    expect((await control(s, 'GET', 'faults', undefined, null)).status).toBe(401);
    expect((await control(s, 'POST', 'faults', { name: 'a', type: 'delay', ms: 10 }, null)).status).toBe(401);
    expect((await control(s, 'POST', 'faults', { name: 'a', type: 'delay', ms: 10 }, 'not.a.jwt')).status).toBe(401);
    expect((await control(s, 'POST', 'faults', { name: 'a', type: 'delay', ms: 10 })).status).toBe(201);
    expect((await control(s, 'POST', 'faults', { name: 'b', type: 'drop', direction: 'in', messages: ['updateWorker'] })).status).toBe(201);
    expect((await control(s, 'POST', 'faults', { name: 'c', type: 'stall_availability' })).status).toBe(201);
    const bad = await control(s, 'POST', 'faults', { name: 'd', type: 'delay', ms: 'slow' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_fault', error: expect.stringContaining('fault.ms') });
    expect(((await (await control(s, 'GET', 'faults')).json()) as { name: string }[]).map((f) => f.name)).toEqual(['a', 'b', 'c']);
    expect(s.core.faults.list().map((f) => f.name)).toEqual(['a', 'b', 'c']);
    expect((await control(s, 'DELETE', 'faults/b')).status).toBe(200);
    expect((await control(s, 'DELETE', 'faults/b')).status).toBe(404);
    expect(s.core.faults.list().map((f) => f.name)).toEqual(['a', 'c']);
    expect((await control(s, 'DELETE', 'faults')).status).toBe(200);
    expect(s.core.faults.list()).toEqual([]);
  });
});

describe('faults on the mock', () => {
  it('delay out holds server messages; drop in and stall_availability make offers time out; removing them restores service', async () => {
    const s = await mock();
    const w = await worker(s.wsUrl, s);
    const base = await pingRtt(w);
    await control(s, 'POST', 'faults', { name: 'slow-pong', type: 'delay', direction: 'out', ms: 300, messages: ['pong'] });
    expect(await pingRtt(w)).toBeGreaterThanOrEqual(290);
    await control(s, 'DELETE', 'faults/slow-pong');
    expect(await pingRtt(w)).toBeLessThan(base + 250);

    const rooms = new RoomServiceClient(s.httpUrl, s.apiKey, s.apiSecret);
    const outcomeOf = async (room: string) => {
      await rooms.createRoom({ name: room, agents: [{ agentName: 'fa' }] as never });
      let outcome = '';
      await eventually(() => {
        const created = s.trace.events('job.created').find((e) => e.room === room);
        outcome = (created && s.trace.events('job.ended').find((e) => e.jobId === created.jobId)?.outcome) || '';
        return outcome ? '' : `job in ${room} not ended`;
      }, { timeoutMs: 10_000 });
      return outcome;
    };
    await control(s, 'POST', 'faults', { name: 'lose-answers', type: 'drop', direction: 'in', messages: ['availability'] });
    expect(await outcomeOf('drop-room')).toBe('timed_out');
    await control(s, 'DELETE', 'faults');
    await control(s, 'POST', 'faults', { name: 'stall', type: 'stall_availability', target: { workerId: w.workerId } });
    expect(await outcomeOf('stall-room')).toBe('timed_out');
    await control(s, 'DELETE', 'faults');
    await rooms.createRoom({ name: 'ok-room', agents: [{ agentName: 'fa' }] as never });
    await eventually(() => (s.trace.events('job.assigned').length === 1 ? '' : 'no assignment after the faults were reset'), { timeoutMs: 10_000 });
    expect(s.trace.events('fault.applied').map((e) => e.fault)).toEqual(expect.arrayContaining(['lose-answers', 'stall']));
  });

  it('close faults: clean sends a 1000 close frame, abrupt drops TCP (1006); running jobs are orphaned and the registry empties', async () => {
    const s = await mock();
    const clean = await worker(s.wsUrl, s, 'c1');
    const abrupt = await worker(s.wsUrl, s, 'c2');
    const rooms = new RoomServiceClient(s.httpUrl, s.apiKey, s.apiSecret);
    await rooms.createRoom({ name: 'close-room', agents: [{ agentName: 'c2' }] as never });
    await eventually(() => (abrupt.of('assignment').length ? '' : 'no assignment'), { timeoutMs: 10_000 });
    expect((await control(s, 'POST', 'faults', { name: 'bye', type: 'close', abrupt: false, target: { workerId: clean.workerId } })).status).toBe(200);
    expect((await control(s, 'POST', 'faults', { name: 'cut', type: 'close', abrupt: true, target: { agentName: 'c2' } })).status).toBe(200);
    await eventually(() => (clean.closed && abrupt.closed ? '' : `open: clean ${!clean.closed}, abrupt ${!abrupt.closed}`));
    expect(clean.closeCode).toBe(1000);
    expect(abrupt.closeCode).toBe(1006);
    await eventually(() => (s.core.registry().sessions === 0 && s.core.registry().workers === 0 ? '' : JSON.stringify(s.core.registry())));
    expect(s.trace.events('job.ended').map((e) => e.outcome)).toEqual(['orphaned']);
    expect((await control(s, 'POST', 'faults', { name: 'nobody', type: 'close', target: { workerId: 'AW_none' } })).status).toBe(404);
  });

  it('restart: every socket drops, rooms and jobs are gone, workers reconnect and register again', async () => {
    const s = await mock();
    const ws = [reconnecting(s.wsUrl, s, 'rs'), reconnecting(s.wsUrl, s, 'rs'), reconnecting(s.wsUrl, s, 'rs')];
    await eventually(() => (s.core.registry().workers === 3 ? '' : `workers registered: ${s.core.registry().workers}`), { timeoutMs: 15_000 });
    const rooms = new RoomServiceClient(s.httpUrl, s.apiKey, s.apiSecret);
    await rooms.createRoom({ name: 'restart-room', agents: [{ agentName: 'rs' }] as never });
    await eventually(() => (s.trace.events('job.assigned').length === 1 ? '' : 'no job assigned'), { timeoutMs: 10_000 });
    const before = ws.map((w) => w.registrations.at(-1));
    expect((await control(s, 'POST', 'faults', { name: 'reboot', type: 'restart' })).status).toBe(200);
    expect((await rooms.listRooms()).length).toBe(0);
    expect(s.core.ledger.openJobs()).toEqual([]);
    expect(s.trace.events('job.ended').map((e) => e.outcome)).toEqual(['orphaned']);
    await eventually(() => (ws.every((w) => w.registrations.length === 2) && s.core.registry().workers === 3 ? '' : `re-registered: ${ws.map((w) => w.registrations.length)}; ${JSON.stringify(s.core.registry())}`), { timeoutMs: 15_000 });
    expect(ws.map((w) => w.registrations.at(-1))).not.toEqual(before);
    expect(s.core.registry().sessions).toBe(3);
    // and the restarted server dispatches again
    await rooms.createRoom({ name: 'after-restart', agents: [{ agentName: 'rs' }] as never });
    await eventually(() => (s.trace.events('job.assigned').length === 2 ? '' : 'no job after restart'), { timeoutMs: 10_000 });
  }, 60_000);
});

describe('fault proxy in front of livekit-server v1.13.5', () => {
  let real: StartedLiveKitServer;

  it('latency, reset and close apply to the real server as to the mock; workers reconnect through it afterwards', async () => {
    real = await startLiveKitServer();
    cleanups.push(() => real.dispose());
    // worker → fault proxy → wire tap → livekit-server
    const tapPort = Number(new URL(real.workerWsUrl).port);
    const proxy = await FaultProxy.start({ upstreamPort: tapPort });
    cleanups.push(() => proxy.close());

    const w = await worker(proxy.wsUrl, real, 'px');
    const base = await pingRtt(w);
    proxy.addLabFault(parseFault({ name: 'slow', type: 'delay', direction: 'out', ms: 250 }));
    expect(await pingRtt(w)).toBeGreaterThanOrEqual(240);
    proxy.add({ name: 'slower-up', type: 'latency', direction: 'up', ms: 150 });
    expect(await pingRtt(w)).toBeGreaterThanOrEqual(390);
    proxy.reset();
    expect(await pingRtt(w)).toBeLessThan(base + 200);

    // reset = abrupt close: the worker sees 1006, the server sees the worker go
    expect(proxy.addLabFault(parseFault({ name: 'cut', type: 'close', abrupt: true }))).toBe(1);
    await eventually(() => (w.closed ? '' : 'worker still connected'), { timeoutMs: 10_000 });
    expect(w.closeCode).toBe(1006);
    await eventually(() => (real.trace.events('worker.closed').some((e) => e.workerId === w.workerId) ? '' : 'real server did not see the worker go'), { timeoutMs: 10_000 });

    // close = FIN without a close frame: also 1006 for a ws client
    const w2 = await worker(proxy.wsUrl, real, 'px');
    expect(proxy.add({ name: 'fin', type: 'close' })).toBe(1);
    await eventually(() => (w2.closed ? '' : 'worker 2 still connected'), { timeoutMs: 10_000 });
    expect(w2.closeCode).toBe(1006);

    // refuse: new connections fail until removed
    proxy.add({ name: 'no-entry', type: 'refuse' });
    await expect(new RawWorker({ url: proxy.wsUrl, apiKey: real.apiKey, apiSecret: real.apiSecret }).connect()).rejects.toThrow();
    proxy.remove('no-entry');
    const w3 = await worker(proxy.wsUrl, real, 'px');
    expect(w3.workerId).toMatch(/^AW_/);
    expect(() => proxy.addLabFault(parseFault({ name: 'x', type: 'stall_availability' }))).toThrow(/needs the mock/);
    const health = await fetch(`${real.httpUrl}/`);
    expect(health.status).toBe(200);
    await w3.close();
    await eventually(() => (proxy.openConnections === 0 ? '' : `${proxy.openConnections} connections still open through the proxy`), { timeoutMs: 10_000 });
  }, 90_000);
});

