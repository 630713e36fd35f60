import { JobType, RoomAgentDispatch, TrackInfo, TrackType } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_TIMING } from '../config/timing.ts';
import type { Room } from '../rooms/room.ts';
import { roomSpec, startCoreKit, type CoreKit, type MemoryAnswer } from '../server/core-test-kit.ts';

const accept: MemoryAnswer = () => ({});

describe('dispatch policy on a ManualClock: which dispatches a room has, which jobs each trigger launches', () => {
  let kit: CoreKit;
  afterEach(() => kit?.core.stop());

  const jobsIn = (room: string) => kit.core.trace.events('job.created').filter((c) => c.room === room);
  /** The ends of the room's jobs, of those whose job.created matches. */
  const endedIn = (room: string, match: (created: ReturnType<typeof jobsIn>[number]) => boolean = () => true) =>
    kit.ended().filter((e) => jobsIn(room).some((c) => c.jobId === e.jobId && match(c)));
  const expectOneDrop = (ended: ReturnType<typeof endedIn>, reason: string) => {
    expect(ended.map((e) => [e.outcome, e.reason])).toEqual([['dropped', reason]]);
  };
  const create = (name: string, agents: RoomAgentDispatch[] = [], via: 'create_room' | 'api' = 'create_room') =>
    kit.core.rooms.getOrCreate(roomSpec(name, { agents }), via);
  /** A virtual participant, as the control API makes one (its room created on demand). */
  const join = (name: string, identity: string, kind?: string): Room => {
    const { room } = kit.core.rooms.getOrCreate(roomSpec(name), 'default');
    kit.core.rooms.markActive(room, kit.core.rooms.join(room, { identity, kind, virtual: true }));
    return room;
  };
  const publish = (room: Room, identity: string) =>
    kit.core.rooms.publishTrack(room, room.participants.get(identity)!, new TrackInfo({ sid: `TR_${identity}${room.participants.get(identity)!.tracks.length}`, type: TrackType.AUDIO }));
  /** Past the claim delay and the no-server wait: every launch so far has been decided. */
  const settle = () => kit.clock.advance(REAL_TIMING.noServerTimeoutMs);

  it('the default dispatch goes to unnamed workers only; a named agent is never auto-dispatched', async () => {
    kit = startCoreKit();
    const unnamed = kit.worker({}, accept);
    const named = kit.worker({ agentName: 'x' }, accept);
    const { room } = create('plain');
    await settle();
    const [a] = unnamed.conn.of('assignment');
    expect(a.job!.agentName).toBe('');
    const ds = [...room.dispatches.values()].map((d) => d.dispatch);
    expect(ds.map((d) => d.agentName)).toEqual(['']);
    expect(ds[0].id).toMatch(/^AD_/);
    expect(kit.core.trace.events('dispatch.created')[0]).toMatchObject({ room: 'plain', source: 'default', agentName: '' });
    expect(jobsIn('plain').map((j) => j.agentName)).toEqual(['']);
    expect(named.conn.of('availability')).toHaveLength(0);
  });

  it('explicit CreateRoom.agents replace the default dispatch', async () => {
    kit = startCoreKit();
    const unnamed = kit.worker({}, accept);
    const named = kit.worker({ agentName: 'x' }, accept);
    const { room } = create('explicit', [new RoomAgentDispatch({ agentName: 'x', metadata: 'md-x' })]);
    await settle();
    const [a] = named.conn.of('assignment');
    expect(a.job).toMatchObject({ agentName: 'x', metadata: 'md-x' });
    expect([...room.dispatches.values()].map((d) => d.dispatch.agentName)).toEqual(['x']);
    expect(kit.core.trace.events('dispatch.created')[0]).toMatchObject({ source: 'create_room', agentName: 'x' });
    expect(jobsIn('explicit').map((j) => j.agentName)).toEqual(['x']);
    expect(unnamed.conn.of('availability')).toHaveLength(0);
  });

  it('agents in a request for an existing room are ignored, and the room is returned unchanged', async () => {
    kit = startCoreKit();
    const named = kit.worker({ agentName: 'x' }, accept);
    const first = kit.core.rooms.getOrCreate(roomSpec('existing', { metadata: 'v1' }), 'create_room');
    const again = kit.core.rooms.getOrCreate(roomSpec('existing', { metadata: 'v2', agents: [new RoomAgentDispatch({ agentName: 'x' })] }), 'token');
    expect(again).toEqual({ room: first.room, created: false });
    expect(again.room.settings.metadata).toBe('v1');
    expect([...again.room.dispatches.values()].map((d) => d.dispatch.agentName)).toEqual(['']);
    // the default dispatch's job (no unnamed worker) has ended as dropped, proving the decisions are made
    await settle();
    expect(endedIn('existing').map((e) => e.outcome)).toEqual(['dropped']);
    expect(named.conn.of('availability')).toHaveLength(0);
  });

  it('job type mismatch (JT_PARTICIPANT job, JT_ROOM worker) is dropped with a reason naming what is registered', async () => {
    kit = startCoreKit();
    const w = kit.worker({ agentName: 'support', type: JobType.JT_ROOM }, accept);
    create('mm', [new RoomAgentDispatch({ agentName: 'support' })]);
    await settle();
    expect(w.conn.of('assignment')).toHaveLength(1);
    join('mm', 'alice');
    await settle();
    expectOneDrop(endedIn('mm', (c) => c.jobType === 'JT_PARTICIPANT'), 'no worker for agent "support" with type JT_PARTICIPANT; registered: "support" as JT_ROOM');
    expect(w.conn.of('availability')).toHaveLength(1);
  });

  it('job type mismatch the other way (JT_ROOM job, JT_PARTICIPANT worker) is dropped too', async () => {
    kit = startCoreKit();
    const w = kit.worker({ agentName: 'support', type: JobType.JT_PARTICIPANT }, accept);
    // CreateDispatch: the room is auto-created (with the default dispatch), then the dispatch added
    const { room } = create('mm2', [], 'api');
    kit.core.rooms.addDispatch(room, { agentName: 'support', metadata: '' });
    await settle();
    expectOneDrop(endedIn('mm2', (c) => c.agentName === 'support'), 'no worker for agent "support" with type JT_ROOM; registered: "support" as JT_PARTICIPANT');
    expect(w.conn.of('availability')).toHaveLength(0);
  });

  it('a dispatch before any worker registered is lost; a worker registering later gets nothing for that room', async () => {
    kit = startCoreKit();
    create('early');
    await settle();
    expectOneDrop(endedIn('early'), 'no worker for agent "" with type JT_ROOM; registered: none');
    const late = kit.worker({}, accept);
    create('later');
    await settle();
    const [a] = late.conn.of('assignment');
    expect(a.job!.room?.name).toBe('later');
    expect(late.conn.of('availability')).toHaveLength(1);
  });

  it('a dispatch added to a live room launches JT_PARTICIPANT / JT_PUBLISHER for participants already there, not for agents', async () => {
    kit = startCoreKit();
    const part = kit.worker({ agentName: 'p', type: JobType.JT_PARTICIPANT }, accept);
    const pub = kit.worker({ agentName: 'p', type: JobType.JT_PUBLISHER }, accept);
    join('live', 'alice');
    const room = join('live', 'bob');
    publish(room, 'bob');
    join('live', 'bot', 'agent');
    kit.core.rooms.addDispatch(room, { agentName: 'p', metadata: '' });
    await settle();
    expect(part.conn.of('assignment').map((a) => a.job!.participant?.identity).sort()).toEqual(['alice', 'bob']);
    expect(pub.conn.of('assignment').map((a) => a.job!.participant?.identity)).toEqual(['bob']);
    // JT_ROOM for "p" has no worker: dropped
    expect(endedIn('live', (c) => c.agentName === 'p' && c.jobType === 'JT_ROOM').map((e) => e.outcome)).toEqual(['dropped']);
    expect(part.conn.of('availability')).toHaveLength(2);
    expect(pub.conn.of('availability')).toHaveLength(1);
  });

  it('JT_PARTICIPANT for each human join, none for agent-kind participants', async () => {
    kit = startCoreKit();
    const w = kit.worker({ type: JobType.JT_PARTICIPANT }, accept);
    join('joins', 'alice');
    join('joins', 'bot', 'agent');
    join('joins', 'bob');
    await settle();
    const as = w.conn.of('assignment');
    expect(as.map((a) => a.job!.participant?.identity)).toEqual(['alice', 'bob']);
    expect(as.every((a) => a.job!.type === JobType.JT_PARTICIPANT)).toBe(true);
    // the default dispatch's JT_ROOM job (no JT_ROOM worker) was dropped at creation
    expect(jobsIn('joins').filter((j) => j.jobType === 'JT_PARTICIPANT').map((j) => j.participantIdentity)).toEqual(['alice', 'bob']);
  });

  it('JT_PUBLISHER on the first publish only', async () => {
    kit = startCoreKit();
    const w = kit.worker({ type: JobType.JT_PUBLISHER }, accept);
    const room = join('pubs', 'alice');
    expect(publish(room, 'alice')).toBe(true);
    expect(publish(room, 'alice')).toBe(false);
    join('pubs', 'bob');
    publish(room, 'bob');
    await settle();
    const as = w.conn.of('assignment');
    expect(as.map((a) => a.job!.participant?.identity)).toEqual(['alice', 'bob']);
    expect(as[0].job!.participant?.tracks).toHaveLength(1);
    expect(jobsIn('pubs').filter((j) => j.jobType === 'JT_PUBLISHER')).toHaveLength(2);
  });
});
