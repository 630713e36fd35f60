import { JobType, RegisterWorkerRequest, WorkerPing, protoInt64 } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_TIMING } from '../config/timing.ts';
import { startCoreKit, type CoreKit } from '../server/core-test-kit.ts';

const ping = (ts: number) => ({ case: 'ping' as const, value: new WorkerPing({ timestamp: protoInt64.parse(ts) }) });

describe('worker session handshake on a ManualClock (the 10 s register deadline)', () => {
  let kit: CoreKit;
  afterEach(() => kit?.core.stop());
  const violations = () => kit.core.trace.events('worker.violation').map((v) => v.reason);

  it('pings are answered before registration but do not extend the deadline', async () => {
    kit = startCoreKit();
    const w = kit.connect();
    for (let t = 0; t < REAL_TIMING.registerTimeoutMs - 1_000; t += 1_000) {
      w.send(ping(t));
      await kit.clock.advance(1_000);
    }
    expect(w.conn.cases().every((c) => c === 'pong')).toBe(true);
    expect(w.conn.cases()).toHaveLength(9);
    await kit.clock.advance(999);
    expect(w.session.isOpen).toBe(true);
    await kit.clock.advance(1);
    expect(w.session.isOpen).toBe(false);
    expect(w.conn.terminated).toBe(true);
    expect(violations()).toEqual(['no register message within 10000 ms of connecting']);
    expect(kit.core.registry().sessions).toBe(0);
  });

  it('a registered worker is never timed out; a second register closes it and it leaves the pool', async () => {
    kit = startCoreKit();
    const w = kit.worker();
    await kit.clock.advance(10 * REAL_TIMING.registerTimeoutMs);
    expect(w.session.isOpen).toBe(true);
    expect(kit.core.pool.size).toBe(1);
    w.send({ case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM }) });
    expect(w.conn.terminated).toBe(true);
    expect(violations()).toEqual(['second register message on a registered connection']);
    expect(kit.core.pool.size).toBe(0);
  });

  it('anything but register or ping before registration closes the socket', () => {
    kit = startCoreKit();
    const w = kit.connect();
    w.setStatus(0.5);
    expect(w.conn.terminated).toBe(true);
    expect(violations()).toEqual(['"updateWorker" before registration: only register and ping are allowed']);
    expect(kit.core.trace.events('worker.registered')).toHaveLength(0);
  });
});
