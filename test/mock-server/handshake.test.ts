import {
  JobType,
  MigrateJobRequest,
  RegisterWorkerRequest,
  ServerInfo_Edition,
  UpdateJobStatus,
  UpdateWorkerStatus,
  WorkerMessage,
  WorkerPing,
  protoInt64,
} from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_TIMING, SERVER_VERSION } from '../../mock-server/index.ts';
import { eventually } from '../support/eventually.ts';
import { received, startLab, waitClosed, type Lab } from '../support/harness.ts';

const ping = (ts: number) => ({ case: 'ping' as const, value: new WorkerPing({ timestamp: protoInt64.parse(ts) }) });

describe('worker handshake on /agent', () => {
  let lab: Lab;
  afterEach(() => lab?.close());

  const violations = () => lab.events('worker.violation').map((v) => v.reason);

  it('answers register with an AW_ worker id and server_info, as the first message', async () => {
    lab = await startLab();
    const w = await lab.worker({ agentName: 'a', jobType: JobType.JT_PUBLISHER });
    expect(w.received[0].message.case).toBe('register');
    const reg = w.of('register')[0];
    expect(reg.workerId).toMatch(/^AW_[2-9A-HJ-NP-Za-km-z]{12}$/);
    expect(reg.serverInfo?.edition).toBe(ServerInfo_Edition.Standard);
    expect(reg.serverInfo?.toJson()).toEqual({ version: SERVER_VERSION, protocol: 17, nodeId: expect.stringMatching(/^ND_.{12}$/), agentProtocol: 1 });
    expect(reg.serverInfo?.region).toBe('');
    expect(reg.serverInfo?.debugInfo).toBe('');
    const registered = lab.events('worker.registered')[0];
    expect(registered).toMatchObject({ workerId: reg.workerId, agentName: 'a', jobType: 'JT_PUBLISHER', namespace: '', deployment: '' });
  });

  it('sends nothing before register, and each connection gets its own id for the same key', async () => {
    lab = await startLab();
    const s = await lab.socket();
    s.send(ping(1));
    await received(s, 'pong');
    expect(s.received.map((m) => m.message.case)).toEqual(['pong']);
    const a = await lab.worker({ agentName: 'same' });
    const b = await lab.worker({ agentName: 'same' });
    expect(a.workerId).not.toBe(b.workerId);
  });

  it('answers ping with pong before and after registration', async () => {
    lab = await startLab();
    const w = await lab.socket();
    const before = Date.now();
    w.send(ping(1234));
    const [pong] = (await received(w, 'pong')) as { lastTimestamp: bigint; timestamp: bigint }[];
    expect(Number(pong.lastTimestamp)).toBe(1234);
    expect(Number(pong.timestamp)).toBeGreaterThanOrEqual(before - 5);
    expect(Number(pong.timestamp)).toBeLessThanOrEqual(Date.now() + 5);
    await w.register();
    w.send(ping(5678));
    const pongs = (await received(w, 'pong', 2)) as { lastTimestamp: bigint }[];
    expect(Number(pongs[1].lastTimestamp)).toBe(5678);
    expect(w.closed).toBe(false);
  });

  it.each([
    ['updateWorker', { case: 'updateWorker', value: new UpdateWorkerStatus({ load: 0.1 }) }],
    ['updateJob', { case: 'updateJob', value: new UpdateJobStatus({ jobId: 'AJ_x' }) }],
    ['migrateJob', { case: 'migrateJob', value: new MigrateJobRequest({ jobIds: ['AJ_x'] }) }],
  ] as const)('closes on %s before registration, without a close frame (1006)', async (kase, message) => {
    lab = await startLab();
    const w = await lab.socket();
    w.send(message as WorkerMessage['message']);
    expect(await waitClosed(w)).toBe(1006);
    expect(violations()).toEqual([`"${kase}" before registration: only register and ping are allowed`]);
    expect(lab.events('worker.registered')).toHaveLength(0);
  });

  it('closes on a second register', async () => {
    lab = await startLab();
    const w = await lab.worker();
    w.send({ case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM }) });
    expect(await waitClosed(w)).toBe(1006);
    expect(violations()).toEqual(['second register message on a registered connection']);
    await eventually(() => (lab.server.core.pool.size === 0 ? '' : 'worker still in the pool'));
  });

  it('closes on an empty binary frame (no oneof set)', async () => {
    lab = await startLab();
    const w = await lab.worker();
    w.sendRaw(Buffer.alloc(0));
    expect(await waitClosed(w)).toBe(1006);
    expect(violations()[0]).toMatch(/no oneof/);
  });

  it('closes on an undecodable binary frame and on a text frame that is not JSON', async () => {
    lab = await startLab();
    const a = await lab.socket();
    a.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(await waitClosed(a)).toBe(1006);
    const b = await lab.worker();
    b.sendRaw('{not json');
    expect(await waitClosed(b)).toBe(1006);
    expect(violations()).toHaveLength(2);
    expect(violations().every((v) => v.startsWith('undecodable frame'))).toBe(true);
  });

  it('closes when no register arrives within the deadline; pings do not extend it', async () => {
    lab = await startLab({ timing: { ...FAST_TIMING, registerTimeoutMs: 300 } });
    const w = await lab.socket();
    w.send(ping(1));
    await received(w, 'pong');
    expect(await waitClosed(w)).toBe(1006);
    expect(violations()).toEqual(['no register message within 300 ms of connecting']);
  });

  it('a registered worker is never timed out', async () => {
    lab = await startLab({ timing: { ...FAST_TIMING, registerTimeoutMs: 200 } });
    const w = await lab.worker();
    const late = await lab.socket();
    await waitClosed(late); // this one proves the deadline has passed
    expect(w.closed).toBe(false);
    w.send(ping(9));
    await received(w, 'pong');
  });

  it.each([
    ['an unknown job type', new RegisterWorkerRequest({ type: 7 as JobType }), /unknown job type 7/],
    ['a deployment with "_"', new RegisterWorkerRequest({ type: JobType.JT_ROOM, deployment: 'a_b' }), /invalid deployment/],
    ['a deployment with a space', new RegisterWorkerRequest({ type: JobType.JT_ROOM, deployment: 'a b' }), /invalid deployment/],
    ['a deployment over 64 bytes', new RegisterWorkerRequest({ type: JobType.JT_ROOM, deployment: 'd'.repeat(65) }), /invalid deployment/],
  ])('closes on register with %s', async (_name, req, reason) => {
    lab = await startLab();
    const w = await lab.socket();
    w.send({ case: 'register', value: req });
    expect(await waitClosed(w)).toBe(1006);
    expect(violations()[0]).toMatch(reason);
    expect(w.of('register')).toHaveLength(0);
  });

  it('accepts a 64-byte deployment', async () => {
    lab = await startLab();
    const w = await lab.worker({ deployment: 'd'.repeat(64) });
    expect(w.workerId).toMatch(/^AW_/);
  });

  it('accepts JSON text frames and answers in JSON text frames until a binary frame arrives', async () => {
    lab = await startLab();
    const w = await lab.socket({ json: true });
    await w.register();
    expect(w.frames[0]).toEqual({ binary: false });
    w.send(ping(1));
    await received(w, 'pong');
    expect(w.frames.at(-1)).toEqual({ binary: false });
    // a binary frame switches the replies back
    w.sendRaw(Buffer.from(new WorkerMessage({ message: ping(2) }).toBinary()));
    await received(w, 'pong', 2);
    expect(w.frames.at(-1)).toEqual({ binary: true });
    // and a text frame switches them to JSON again
    w.sendRaw(JSON.stringify(new WorkerMessage({ message: ping(3) }).toJson()));
    await received(w, 'pong', 3);
    expect(w.frames.at(-1)).toEqual({ binary: false });
  });

  it('JSON mode ignores unknown fields and accepts snake_case names', async () => {
    lab = await startLab();
    const w = await lab.socket();
    w.sendRaw(JSON.stringify({ register: { type: 'JT_PARTICIPANT', agent_name: 'json-agent', someFutureField: 1 } }));
    await received(w, 'register');
    expect(lab.events('worker.registered')[0]).toMatchObject({ agentName: 'json-agent', jobType: 'JT_PARTICIPANT' });
  });

  it('a peer close removes the worker from the pool', async () => {
    lab = await startLab();
    const w = await lab.worker();
    expect(lab.server.core.pool.size).toBe(1);
    await w.close();
    await eventually(() => (lab.server.core.pool.size === 0 ? '' : 'worker still pooled'));
    expect(lab.events('worker.closed')[0].workerId).toBe(w.workerId);
  });
});
