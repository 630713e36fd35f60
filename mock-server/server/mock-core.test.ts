import {
  AvailabilityResponse,
  JobType,
  RegisterWorkerRequest,
  WorkerMessage,
} from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerSession } from '../agent/worker-session.ts';
import { REAL_TIMING } from '../config/timing.ts';
import { ManualClock } from '../core/clock.ts';
import { MemoryConnection, roomSpec, T0, TEST_AUTH as auth } from './core-test-kit.ts';
import { MockCore } from './mock-core.ts';

describe('MockCore with a ManualClock (real timing, no waiting)', () => {
  let clock: ManualClock;
  let core: MockCore;
  afterEach(() => core?.stop());

  const start = () => {
    clock = new ManualClock(T0);
    core = new MockCore({ clock, seed: 1, timing: 'real' });
  };
  const connect = () => {
    const conn = new MemoryConnection();
    const session = core.openWorkerSession(conn, auth);
    return { conn, session };
  };
  const register = (session: WorkerSession, req: Partial<RegisterWorkerRequest> = {}) =>
    session.handleMessage(new WorkerMessage({ message: { case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, ...req }) } }));
  const ended = () => core.trace.events('job.ended');

  it('closes a socket that has not registered 10 s after it opened, and not before', async () => {
    start();
    const { conn, session } = connect();
    await clock.advance(REAL_TIMING.registerTimeoutMs - 1);
    expect(session.isOpen).toBe(true);
    await clock.advance(1);
    expect(session.isOpen).toBe(false);
    expect(conn.terminated).toBe(true);
    expect(core.trace.events('worker.violation')[0].reason).toBe('no register message within 10000 ms of connecting');
  });

  it('registration clears the deadline', async () => {
    start();
    const { conn, session } = connect();
    await clock.advance(9_000);
    register(session);
    await clock.advance(60_000);
    expect(session.isOpen).toBe(true);
    expect(conn.cases()).toEqual(['register']);
  });

  it('waits the ≥ 200 ms claim delay before the AvailabilityRequest', async () => {
    start();
    const { conn, session } = connect();
    register(session);
    core.rooms.getOrCreate(roomSpec('r'), 'create_room');
    await clock.advance(REAL_TIMING.claimDelayMs - 1);
    expect(conn.cases()).toEqual(['register']);
    await clock.advance(1);
    expect(conn.cases()).toEqual(['register', 'availability']);
    const offered = core.trace.events('job.offered')[0];
    const created = core.trace.events('job.created')[0];
    expect(offered.at - created.at).toBe(200);
  });

  it('gives the worker about 2.8 s (job request deadline − claim delay) to answer, then times out without retrying', async () => {
    start();
    const a = connect();
    register(a.session);
    core.rooms.getOrCreate(roomSpec('r'), 'create_room');
    await clock.advance(REAL_TIMING.claimDelayMs);
    const b = connect();
    register(b.session);
    const window = REAL_TIMING.jobRequestTimeoutMs - REAL_TIMING.claimDelayMs;
    expect(window).toBe(2_800);
    await clock.advance(window - 1);
    expect(ended()).toHaveLength(0);
    await clock.advance(1);
    expect(ended()).toHaveLength(1);
    expect(ended()[0]).toMatchObject({ outcome: 'timed_out', workerId: a.session.workerId });
    expect(ended()[0].reason).toContain('within 2800 ms');
    expect(b.conn.cases()).toEqual(['register']);
    // the late answer is ignored
    const jobId = ended()[0].jobId;
    a.session.handleMessage(new WorkerMessage({ message: { case: 'availability', value: new AvailabilityResponse({ jobId, available: true, participantIdentity: 'x' }) } }));
    expect(a.conn.cases()).toEqual(['register', 'availability']);
    expect(core.trace.events('worker.ignored')).toHaveLength(1);
  });

  it('after a rejection the next worker gets only what is left of the same deadline', async () => {
    start();
    const a = connect();
    const b = connect();
    register(a.session);
    register(b.session);
    core.rooms.getOrCreate(roomSpec('r'), 'create_room');
    await clock.advance(200);
    const first = [a, b].find((w) => w.conn.cases().includes('availability'))!;
    const second = first === a ? b : a;
    await clock.advance(1_000);
    const job = first.conn.sent[1].message.value as { job: { id: string } };
    first.session.handleMessage(new WorkerMessage({ message: { case: 'availability', value: new AvailabilityResponse({ jobId: job.job.id, available: false }) } }));
    await clock.advance(0);
    expect(second.conn.cases()).toEqual(['register', 'availability']);
    await clock.advance(1_799);
    expect(ended()).toHaveLength(0);
    await clock.advance(1);
    expect(ended()[0]).toMatchObject({ outcome: 'timed_out', workerId: second.session.workerId });
    expect(ended()[0].reason).toContain('within 1800 ms');
  });

  it('SimulateJobRequest jobs use the 10 s AssignJobTimeout instead', async () => {
    start();
    const { conn, session } = connect();
    register(session);
    session.handleMessage(new WorkerMessage({ message: { case: 'simulateJob', value: { room: { name: 'sim' } } as never } }));
    expect(conn.cases()).toEqual(['register', 'availability']);
    await clock.advance(REAL_TIMING.assignJobTimeoutMs - 1);
    expect(ended()).toHaveLength(0);
    await clock.advance(1);
    expect(ended()[0].outcome).toBe('timed_out');
  });

  it('a job for an unserved named topic is dropped after the 1 s no-server wait', async () => {
    start();
    const { session } = connect();
    register(session, { agentName: 'x', type: JobType.JT_PARTICIPANT });
    // "x" is listed for JT_ROOM (the node lists every name for every type it has workers of) but no JT_ROOM worker serves it
    const w2 = connect();
    register(w2.session, { agentName: 'y', type: JobType.JT_ROOM });
    core.rooms.getOrCreate(roomSpec('r', { agents: [{ agentName: 'x', metadata: '', deployment: '', attributes: {} } as never] }), 'create_room');
    await clock.advance(REAL_TIMING.noServerTimeoutMs - 1);
    expect(ended()).toHaveLength(0);
    await clock.advance(1);
    expect(ended()[0]).toMatchObject({ outcome: 'dropped' });
    expect(ended()[0].reason).toBe('no worker for agent "x" with type JT_ROOM; registered: "x" as JT_PARTICIPANT, "y" as JT_ROOM');
  });

  it('empty timeout: whole-second resolution against the creation time', async () => {
    start();
    await clock.advance(500); // created at T0 + 0.5 s
    core.rooms.getOrCreate(roomSpec('idle', { emptyTimeout: 2 }), 'create_room');
    // floor(now) − floor(created) ≥ 2 holds from T0 + 2 s, only 1.5 s after creation, at the ticker's 2 s tick
    await clock.advance(1_499);
    expect(core.rooms.get('idle')).toBeDefined();
    await clock.advance(1);
    expect(core.rooms.get('idle')).toBeUndefined();
    expect(core.trace.events('room.closed')[0]).toMatchObject({ room: 'idle', reason: 'ROOM_CLOSED' });
  });

  it('the default empty timeout is 300 s', async () => {
    start();
    core.rooms.getOrCreate(roomSpec('idle'), 'create_room');
    await clock.advance(299_999);
    expect(core.rooms.get('idle')).toBeDefined();
    await clock.advance(1);
    expect(core.rooms.get('idle')).toBeUndefined();
  });

  it('departure timeout: counted from the last departure, whole seconds; an agent alone does not hold the room', async () => {
    start();
    const { room } = core.rooms.getOrCreate(roomSpec('dep', { departureTimeout: 2 }), 'create_room');
    core.rooms.join(room, { identity: 'alice' });
    core.rooms.join(room, { identity: 'bot', kind: 'agent' });
    await clock.advance(10_900); // alice leaves at T0 + 10.9 s
    core.rooms.participantLeft(room, 'alice');
    // floor(now) − floor(leftAt) = floor(now) − 10 ≥ 2 from T0 + 12 s: 1.1 s after the departure
    await clock.advance(1_099);
    expect(core.rooms.get('dep')).toBeDefined();
    await clock.advance(1);
    expect(core.rooms.get('dep')).toBeUndefined();
    expect(core.trace.events('participant.left').map((p) => p.identity)).toEqual(['alice', 'bot']);
  });

  it('the default departure timeout is 20 s, and a human present keeps the room open past the empty timeout', async () => {
    start();
    const { room } = core.rooms.getOrCreate(roomSpec('dep', { emptyTimeout: 1 }), 'create_room');
    core.rooms.join(room, { identity: 'alice' });
    await clock.advance(30_000);
    expect(core.rooms.get('dep')).toBeDefined();
    core.rooms.participantLeft(room, 'alice');
    await clock.advance(19_999);
    expect(core.rooms.get('dep')).toBeDefined();
    await clock.advance(1);
    expect(core.rooms.get('dep')).toBeUndefined();
  });

  it('an agent that leaves before the CheckEnabled round ends terminates nothing; after it, its job ends JS_FAILED', async () => {
    start();
    const { conn, session } = connect();
    register(session);
    const accept = (identity: string) => {
      const req = conn.sent.filter((m) => m.message.case === 'availability').at(-1)!.message.value as { job: { id: string } };
      session.handleMessage(new WorkerMessage({ message: { case: 'availability', value: new AvailabilityResponse({ jobId: req.job.id, available: true, participantIdentity: identity }) } }));
    };
    const early = core.rooms.getOrCreate(roomSpec('early'), 'create_room').room;
    await clock.advance(200);
    accept('agent-early');
    await clock.advance(0);
    core.rooms.join(early, { identity: 'agent-early', kind: 'agent' });
    core.rooms.participantLeft(early, 'agent-early');
    // a launch inside the same round (the cache is being filled) is recorded at the round's end too
    const late = core.rooms.getOrCreate(roomSpec('late'), 'create_room').room;
    await clock.advance(200);
    accept('agent-late');
    await clock.advance(REAL_TIMING.enabledCheckMs - 401); // 1 ms before the round that began at the first launch ends
    core.rooms.join(late, { identity: 'agent-late', kind: 'agent' });
    core.rooms.participantLeft(late, 'agent-late');
    await clock.advance(0);
    expect(conn.cases()).not.toContain('termination');
    core.rooms.join(late, { identity: 'agent-late', kind: 'agent' });
    await clock.advance(1);
    core.rooms.participantLeft(late, 'agent-late');
    await clock.advance(0);
    expect(conn.cases().filter((c) => c === 'termination')).toHaveLength(1);
    expect(ended().map((e) => e.outcome)).toEqual(['terminated']);
  });

  it('DeleteDispatch waits up to 3 s for the agent to leave, then removes it', async () => {
    start();
    const { conn, session } = connect();
    register(session, { agentName: 'x' });
    const { room } = core.rooms.getOrCreate(roomSpec('r'), 'create_room');
    const record = core.rooms.addDispatch(room, { agentName: 'x', metadata: '' });
    await clock.advance(200);
    const req = conn.sent.find((m) => m.message.case === 'availability')!.message.value as { job: { id: string } };
    session.handleMessage(new WorkerMessage({ message: { case: 'availability', value: new AvailabilityResponse({ jobId: req.job.id, available: true, participantIdentity: 'agent-x' }) } }));
    await clock.advance(0);
    core.rooms.join(room, { identity: 'agent-x', kind: 'agent' });
    core.rooms.deleteDispatch(room, record.dispatch.id);
    // DeleteDispatch waits for the launch, which returns when the CheckEnabled round (5 s from the trigger) ends
    await clock.advance(REAL_TIMING.enabledCheckMs - 201);
    expect(conn.cases()).not.toContain('termination');
    await clock.advance(1);
    expect(conn.cases()).toContain('termination');
    expect(ended().find((e) => e.jobId === req.job.id)).toMatchObject({ outcome: 'terminated', status: 'JS_SUCCESS' });
    await clock.advance(REAL_TIMING.agentLeaveWaitMs - 100);
    expect(room.participants.has('agent-x')).toBe(true);
    await clock.advance(100);
    expect(room.participants.has('agent-x')).toBe(false);
  });
});
