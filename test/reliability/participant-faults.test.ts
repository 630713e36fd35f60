import { Ping, protoInt64 } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { FaultError, parseFault } from '../../mock-server/faults/fault.ts';
import { joinUrl } from '../../fuzz/rtc-probe.ts';
import { token } from '../../fuzz/tokens.ts';
import { SignalClient } from '../rtc/signal-client.ts';
import { eventually } from '../support/eventually.ts';

// Signalling only (no SDP, so no ICE): loopback, no network namespace needed.
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
}, 30_000);

async function mock(): Promise<StartedMockServer> {
  const s = await startMockServer({ port: 0, timing: 'fast', seed: 9, rtc: { signalLossGraceMs: 200 } });
  cleanups.push(() => s.close());
  return s;
}

const control = async (s: StartedMockServer, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${s.httpUrl}/_lab/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token(s, { roomAdmin: true })}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function join(s: StartedMockServer, room: string, identity: string): Promise<SignalClient> {
  const { url, token: tok } = joinUrl(s, room, identity, 1);
  const c = await SignalClient.open(url, tok);
  cleanups.push(() => c.close());
  await c.next('join');
  return c;
}

/** Sends a PingReq and waits for its PongResp; returns the round trip, or undefined if none came within `ms`. */
async function pingReq(c: SignalClient, ms = 1_500): Promise<number | undefined> {
  const mark = Date.now();
  c.send({ case: 'pingReq', value: new Ping({ timestamp: protoInt64.parse(mark) }) });
  try {
    await eventually(() => (c.of('pongResp').some((p) => Number(p.lastPingTimestamp) === mark) ? '' : 'no pongResp'), { timeoutMs: ms });
    return Date.now() - mark;
  } catch {
    return undefined;
  }
}

const closeCode = (c: SignalClient) => new Promise<number>((resolve) => (c.closed ? resolve(-1) : c.ws.once('close', (code) => resolve(code))));

describe('per-participant faults (signal connection)', () => {
  it('parseFault: a room/participant target takes signal message cases; mixed targets and stall_availability are refused', () => {
    expect(parseFault({ name: 'p', type: 'drop', direction: 'out', messages: ['update', 'pongResp'], target: { room: 'r', participant: 'alice' } })).toEqual({
      name: 'p',
      type: 'drop',
      direction: 'out',
      messages: ['update', 'pongResp'],
      target: { room: 'r', participant: 'alice' },
    });
    expect(() => parseFault({ name: 'p', type: 'drop', messages: ['availability'], target: { participant: 'alice' } })).toThrow(FaultError);
    expect(() => parseFault({ name: 'p', type: 'drop', messages: ['pingReq'] })).toThrow(/message cases/);
    expect(() => parseFault({ name: 'p', type: 'delay', ms: 5, target: { participant: 'a', agentName: 'x' } })).toThrow(/one kind of socket/);
    expect(() => parseFault({ name: 'p', type: 'stall_availability', target: { room: 'r' } })).toThrow(/acts on workers/);
    expect(() => parseFault({ name: 'p', type: 'close', target: { participant: 'a', socket: 1 } })).toThrow(/unknown field/);
  });

  it('drop in/out acts on the targeted participant only, and removing the fault restores it', async () => {
    const s = await mock();
    const alice = await join(s, 'pf', 'alice');
    const bob = await join(s, 'pf', 'bob');
    expect((await control(s, 'POST', 'faults', { name: 'mute-alice', type: 'drop', direction: 'in', messages: ['pingReq'], target: { participant: 'alice' } })).status).toBe(201);
    expect(await pingReq(alice, 800)).toBeUndefined();
    expect(await pingReq(bob)).toBeDefined();
    expect((await control(s, 'DELETE', 'faults/mute-alice')).status).toBe(200);
    expect(await pingReq(alice)).toBeDefined();

    // out: alice does not hear about carol joining; bob does
    await control(s, 'POST', 'faults', { name: 'deaf-alice', type: 'drop', direction: 'out', messages: ['update'], target: { room: 'pf', participant: 'alice' } });
    const before = alice.of('update').length;
    await join(s, 'pf', 'carol');
    await eventually(() => (bob.of('update').some((u) => u.participants.some((p) => p.identity === 'carol')) ? '' : 'bob has no update for carol'));
    expect(await pingReq(alice)).toBeDefined(); // pongResp is not dropped, and it comes after carol's update
    expect(alice.of('update').length).toBe(before);
    expect(s.trace.events().some((e) => e.kind === 'fault.applied' && e.fault === 'deaf-alice' && e.target === 'pf/alice out update')).toBe(true);
  }, 30_000);

  it('delay holds signal messages in the chosen direction; a target-less worker fault leaves participants alone', async () => {
    const s = await mock();
    const alice = await join(s, 'pd', 'alice');
    const base = (await pingReq(alice))!;
    await control(s, 'POST', 'faults', { name: 'slow', type: 'delay', direction: 'out', ms: 400, target: { participant: 'alice' } });
    const slow = await pingReq(alice, 5_000);
    expect(slow).toBeGreaterThanOrEqual(400);
    await control(s, 'DELETE', 'faults');
    // drop everything on every worker socket: participants are not workers
    await control(s, 'POST', 'faults', { name: 'all-workers', type: 'drop', direction: 'both' });
    expect(await pingReq(alice)).toBeLessThan(base + 400);
  }, 30_000);

  it('close clean (1000) and abrupt (no close frame): the participant is lost as on a dropped signal connection; 404 when nothing matches', async () => {
    const s = await mock();
    const alice = await join(s, 'pc', 'alice');
    const bob = await join(s, 'pc', 'bob');
    const aliceClosed = closeCode(alice);
    const r = await control(s, 'POST', 'faults', { name: 'cut', type: 'close', target: { participant: 'alice' } });
    expect(r).toMatchObject({ status: 200, body: { kind: 'action', affected: 1 } });
    expect(await aliceClosed).toBe(1000);
    const bobClosed = closeCode(bob);
    // a trailing * matches an identity prefix (an agent's identity is the worker's choice)
    expect((await control(s, 'POST', 'faults', { name: 'cut2', type: 'close', abrupt: true, target: { room: 'pc', participant: 'bo*' } })).body).toMatchObject({ affected: 1 });
    expect(await bobClosed).toBe(1006);
    // both leave after the signal-loss grace, as SIGNAL_CLOSE
    await eventually(() => (s.core.rooms.get('pc')?.participants.size ? 'still in the room' : ''), { timeoutMs: 5_000 });
    expect((await control(s, 'POST', 'faults', { name: 'cut3', type: 'close', target: { participant: 'nobody' } })).status).toBe(404);
    expect(s.core.faults.list()).toEqual([]); // action faults are not kept
  }, 30_000);
});
