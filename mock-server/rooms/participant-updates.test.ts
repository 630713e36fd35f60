import { DisconnectReason, Job, ParticipantInfo_State, TrackInfo, TrackType, type ParticipantInfo } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_TIMING } from '../config/timing.ts';
import { ManualClock } from '../core/clock.ts';
import { MockCore } from '../server/mock-core.ts';
import type { Participant } from './participant.ts';
import type { Room } from './room.ts';
import type { RoomEvent } from './room-events.ts';

const T0 = 1_700_000_000_000;
const spec = (name: string) => ({ name, emptyTimeout: 0, departureTimeout: 0, maxParticipants: 0, metadata: '', agents: [] });

/** What a participant's ParticipantUpdates would carry, as `identity:STATE:version` per update message. */
interface Delivery {
  atMs: number;
  to: string;
  infos: string[];
}

describe('participant updates and room counts on a ManualClock (room.go batching, ProtoProxy)', () => {
  let clock: ManualClock;
  let core: MockCore;
  let deliveries: Delivery[];
  let roomUpdates: { atMs: number; numParticipants: number; numPublishers: number }[];
  afterEach(() => core?.stop());

  const start = () => {
    clock = new ManualClock(T0);
    core = new MockCore({ clock, seed: 1, timing: 'real' });
    deliveries = [];
    roomUpdates = [];
    core.rooms.onEvent((e: RoomEvent) => {
      const at = clock.now() - T0;
      if (e.type === 'participant_updates') {
        const to = e.only ? [e.only] : [...e.room.participants.values()];
        for (const p of to) deliveries.push({ atMs: at, to: p.identity, infos: e.updates.map(fmt) });
      }
      if (e.type === 'room_updated') {
        const r = e.room.toProto();
        roomUpdates.push({ atMs: at, numParticipants: r.numParticipants, numPublishers: r.numPublishers });
      }
    });
  };
  const fmt = (pi: ParticipantInfo) => `${pi.identity}:${ParticipantInfo_State[pi.state]}:${pi.version}`;
  /** A signalling client's join: the room, the participant, its JoinResponse. */
  const join = (room: Room, identity: string, kind?: string): Participant => {
    const p = core.rooms.join(room, { identity, kind });
    core.rooms.joinResponseSent(room, p);
    return p;
  };
  const seenBy = (identity: string) => deliveries.filter((d) => d.to === identity);

  it('a participant that publishes nothing is announced on the 3 s ticker, phased from room creation', async () => {
    start();
    const { room } = core.rooms.getOrCreate(spec('r'), 'create_room');
    await clock.advance(1_000);
    join(room, 'human');
    await clock.advance(700);
    join(room, 'agent', 'agent');
    await clock.advance(REAL_TIMING.participantUpdateIntervalMs - 1_700 - 1);
    expect(deliveries).toEqual([]);
    await clock.advance(1);
    // everyone in the room gets the batch, the participants themselves included
    expect(deliveries).toEqual([
      { atMs: 3_000, to: 'human', infos: ['human:JOINED:1', 'agent:JOINED:1'] },
      { atMs: 3_000, to: 'agent', infos: ['human:JOINED:1', 'agent:JOINED:1'] },
    ]);
    await clock.advance(3_000);
    expect(deliveries).toHaveLength(2); // nothing new, nothing sent
  });

  it("an agent's first set_attributes goes out at once, replacing its queued JOINED update (participant_connected carries it)", async () => {
    start();
    const { room } = core.rooms.getOrCreate(spec('r'), 'create_room');
    join(room, 'human');
    await clock.advance(1_000);
    const agent = join(room, 'agent', 'agent');
    await clock.advance(300);
    core.rooms.updateParticipant(room, agent, { attributes: { 'lk.agent.state': 'initializing' } });
    expect(seenBy('human')).toEqual([{ atMs: 1_300, to: 'human', infos: ['agent:JOINED:2'] }]);
    expect(seenBy('agent')).toEqual([{ atMs: 1_300, to: 'agent', infos: ['agent:JOINED:2'] }]);
    await clock.advance(1_700);
    // the tick only carries the human's own JOINED update: the agent's was sent with its attributes
    expect(seenBy('human').map((d) => d.infos)).toEqual([['agent:JOINED:2'], ['human:JOINED:1']]);
  });

  it('an unchanged name or metadata is no update; a leave waits for the ticker unless the participant publishes', async () => {
    start();
    const { room } = core.rooms.getOrCreate(spec('r'), 'create_room');
    const human = join(room, 'human');
    const other = join(room, 'other');
    await clock.advance(3_000);
    deliveries.length = 0;
    core.rooms.updateParticipant(room, human, { metadata: '' });
    expect(deliveries).toEqual([]);
    core.rooms.participantLeft(room, 'other');
    expect(deliveries).toEqual([]);
    await clock.advance(3_000);
    expect(deliveries).toEqual([{ atMs: 6_000, to: 'human', infos: ['other:DISCONNECTED:2'] }]);
    expect(other.disconnectReason).toBe(DisconnectReason.CLIENT_INITIATED);

    const publisher = join(room, 'pub');
    core.rooms.publishTrack(room, publisher, new TrackInfo({ sid: 'TR_x', type: TrackType.AUDIO }));
    // a publisher's update is never queued: out at once to everyone (itself too), its queued JOINED folded in
    expect(deliveries.slice(-2)).toEqual([
      { atMs: 6_000, to: 'human', infos: ['pub:JOINED:2'] },
      { atMs: 6_000, to: 'pub', infos: ['pub:JOINED:2'] },
    ]);
    deliveries.length = 0;
    core.rooms.participantLeft(room, 'pub');
    expect(deliveries).toEqual([{ atMs: 6_000, to: 'human', infos: ['pub:DISCONNECTED:3'] }]);
  });

  it("a join-created room's counts appear on the room's 5 s update ticker, agents counted as publishers only", async () => {
    start();
    const { room } = core.rooms.getOrCreate(spec('r'), 'token');
    const human = join(room, 'human');
    const agent = join(room, 'agent', 'agent');
    expect(room.toProto().numParticipants).toBe(0);
    await clock.advance(REAL_TIMING.roomUpdateIntervalMs - 1);
    expect(room.toProto().numParticipants).toBe(0);
    await clock.advance(1);
    expect(roomUpdates).toEqual([{ atMs: 5_000, numParticipants: 1, numPublishers: 0 }]);

    // the copy is older than an interval: the next change is picked up at once (after the caller's own sends)
    await clock.advance(6_000);
    core.rooms.publishTrack(room, agent, new TrackInfo({ sid: 'TR_a', type: TrackType.AUDIO }));
    expect(room.toProto().numPublishers).toBe(0);
    await clock.advance(0);
    expect(roomUpdates.at(-1)).toEqual({ atMs: 11_000, numParticipants: 1, numPublishers: 1 });

    // within an interval of that refresh, a change waits for a tick at least 5 s after it
    await clock.advance(1_000);
    core.rooms.publishTrack(room, human, new TrackInfo({ sid: 'TR_h', type: TrackType.AUDIO }));
    await clock.advance(3_000); // the 15 s tick: only 4 s since the refresh
    expect(room.toProto().numPublishers).toBe(1);
    await clock.advance(5_000); // the 20 s tick
    expect(roomUpdates.at(-1)).toEqual({ atMs: 20_000, numParticipants: 1, numPublishers: 2 });
    expect(roomUpdates).toHaveLength(3);
  });

  it('room metadata is refreshed immediately; an unchanged room notifies nobody', async () => {
    start();
    const { room } = core.rooms.getOrCreate(spec('r'), 'create_room');
    core.rooms.updateRoomMetadata(room, 'md');
    expect(room.toProto().metadata).toBe('md');
    expect(roomUpdates).toHaveLength(1);
    core.rooms.updateRoomMetadata(room, 'md');
    expect(roomUpdates).toHaveLength(1);
  });

  it('rooms carry the dev server\'s 10 enabled codecs and a TURN password', () => {
    start();
    const { room } = core.rooms.getOrCreate(spec('r'), 'create_room');
    const proto = room.toProto();
    expect(proto.enabledCodecs.map((c) => c.mime)).toEqual(['audio/PCMU', 'audio/PCMA', 'audio/opus', 'audio/red', 'video/VP8', 'video/H264', 'video/VP9', 'video/AV1', 'video/H265', 'video/rtx']);
    expect(proto.turnPassword).toMatch(/^[A-Za-z0-9]{42,44}$/); // 32 bytes in base62, as utils.RandomSecret
  });

  it('an idle room holds no timer: its update tickers are armed only while something waits, phased from creation', async () => {
    start();
    await clock.advance(0);
    const serverTimers = clock.pendingTimers;
    const { room } = core.rooms.getOrCreate(spec('r'), 'create_room');
    await clock.advance(60_000);
    expect(clock.pendingTimers).toBe(serverTimers);

    join(room, 'human'); // the copy is older than an interval: counted at once; the update waits for the 3 s tick
    await clock.advance(0);
    expect(roomUpdates).toEqual([{ atMs: 60_000, numParticipants: 1, numPublishers: 0 }]);
    await clock.advance(1_000);
    join(room, 'human2'); // within an interval of that refresh: counted on the 65 s tick
    await clock.advance(2_000);
    expect(seenBy('human').map((d) => d.atMs)).toEqual([63_000]);
    await clock.advance(2_000);
    expect(roomUpdates.at(-1)).toEqual({ atMs: 65_000, numParticipants: 2, numPublishers: 0 });
    await clock.advance(10_000); // a last tick may find nothing changed
    expect(clock.pendingTimers).toBe(serverTimers);
    expect(roomUpdates).toHaveLength(2);
  });

  it("readers share one frozen Room proto whose bytes are encoded once, equal to a fresh copy's", () => {
    start();
    const { room } = core.rooms.getOrCreate(spec('r'), 'create_room');
    const proto = room.toProto();
    expect(room.toProto()).toBe(proto);
    expect(Object.isFrozen(proto)).toBe(true);
    expect(() => {
      proto.metadata = 'changed';
    }).toThrow(TypeError);
    expect(proto.toBinary()).toBe(proto.toBinary());
    expect(Buffer.from(new Job({ room: proto }).toBinary())).toEqual(Buffer.from(new Job({ room: proto.clone() }).toBinary()));
  });

  it('the JoinResponse shows the participant JOINING at version 0; each read after a change advances the version once', () => {
    start();
    const { room } = core.rooms.getOrCreate(spec('r'), 'create_room');
    const p = core.rooms.join(room, { identity: 'a' });
    expect(fmt(p.toProto())).toBe('a:JOINING:0');
    core.rooms.joinResponseSent(room, p);
    core.rooms.updateParticipant(room, p, { name: 'A' });
    core.rooms.updateParticipant(room, p, { name: 'A' }); // unchanged: no new version
    expect(fmt(p.toProto())).toBe('a:JOINED:2');
  });
});
