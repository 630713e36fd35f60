import { ParticipantInfo_Kind, TrackType, type ParticipantInfo, type Room } from '@livekit/protocol';
import { MediaParticipants } from '../../../scenarios/participants/media-participants.ts';
import type { ViewClient } from '../../../differential/participants/view-client.ts';
import type { ViewScript } from '../../../differential/participants/view-session.ts';

/** Observations named `when …` are timed (since room creation); the others are Twirp reads the script makes at once. */
export const untimed = (label: string) => !label.startsWith('when ');

/** The newest info `observer` has received about `identity` (through ParticipantUpdates), if any. */
export const latestAbout = (observer: ViewClient, identity: string): ParticipantInfo | undefined =>
  observer
    .of('update')
    .flatMap((u) => u.value.participants)
    .filter((p) => p.identity === identity)
    .at(-1);

/**
 * Room objects and counters: CreateRoom's answer, ListRooms before and after the counts are filled, the Room in
 * each JoinResponse and RoomUpdate, ListParticipants; an agent in the room (it does not count as a participant).
 */
export const roomObjectsScript: ViewScript = async (s) => {
  await s.createRoom('CreateRoom pv-made', 'pv-made');
  await s.listRooms('ListRooms pv-made', 'pv-made');
  const human = await s.join({ room: 'pv-join', identity: 'human', name: 'Human', metadata: 'md', attributes: { role: 'caller' } });
  await s.join({ room: 'pv-join', identity: 'agent', kind: 'agent' });
  await s.listRooms('ListRooms pv-join right after the joins', 'pv-join');
  await s.until('when ListRooms pv-join counts the human', 'pv-join', async () => (await s.twirp.listRooms(['pv-join']))[0], (r) => (r?.numParticipants ?? 0) >= 1);
  await s.until('when the human gets a RoomUpdate', 'pv-join', () => human.of('roomUpdate').length, (n) => n >= 1);
  await s.listParticipants('ListParticipants pv-join', 'pv-join');
  // the cached Room was refreshed < 5 s ago: this join waits for the next tick at least 5 s after that refresh
  await s.join({ room: 'pv-join', identity: 'late' });
  await s.until('when ListRooms pv-join counts late', 'pv-join', async () => (await s.twirp.listRooms(['pv-join']))[0], (r) => (r?.numParticipants ?? 0) >= 2);
  await s.until('when late gets a RoomUpdate', 'pv-join', () => s.client('late').of('roomUpdate').length, (n) => n >= 1);
};

/**
 * Participant-update batching: a non-publishing agent is announced on the room's 3 s ticker, and so is its
 * leave; an agent whose first act is set_attributes is announced at once with them (participant_connected
 * carries lk.agent.state, no separate attributes-changed update).
 */
export const updateBatchingScript: ViewScript = async (s) => {
  const human = await s.join({ room: 'pv-quiet', identity: 'human' });
  const agent = await s.join({ room: 'pv-quiet', identity: 'agent', kind: 'agent' });
  await s.until('when the human first sees the quiet agent', 'pv-quiet', () => latestAbout(human, 'agent'), (p) => !!p);
  await s.until('when the human sees its own JOINED update', 'pv-quiet', () => latestAbout(human, 'human'), (p) => !!p);
  agent.leave();
  await s.until('when the human sees the agent leave', 'pv-quiet', () => latestAbout(human, 'agent')?.state, (st) => st === 3);

  const caller = await s.join({ room: 'pv-attrs', identity: 'caller' });
  const bot = await s.join({ room: 'pv-attrs', identity: 'bot', kind: 'agent', canUpdateOwnMetadata: true });
  bot.setAttributes({ 'lk.agent.state': 'initializing' });
  await s.until('when the caller first sees the bot', 'pv-attrs', () => latestAbout(caller, 'bot'), (p) => !!p);
  await s.until('when the caller sees its own JOINED update', 'pv-attrs', () => latestAbout(caller, 'caller'), (p) => !!p);
  bot.setAttributes({ 'lk.agent.state': 'listening' });
  await s.until('when the caller sees the bot listening', 'pv-attrs', () => latestAbout(caller, 'bot')?.attributes['lk.agent.state'], (v) => v === 'listening');
};

/**
 * An agent that publishes (a real WebRTC client, @livekit/rtc-node): numPublishers counts it although
 * numParticipants does not, filled on the room ticker; and its publisher update reaches the room at once.
 * Only these reduced values are compared: its TrackInfo belongs to the media comparison.
 */
export const publishingAgentScript: ViewScript = async (s) => {
  const media = new MediaParticipants(s.target);
  try {
    const human = await s.join({ room: 'pv-pub', identity: 'human' });
    await media.join({ room: 'pv-pub', identity: 'agent-pub', kind: 'agent' });
    await media.publish('pv-pub', 'agent-pub', 'audio');
    const counts = (r: Room | undefined) => ({ numParticipants: r?.numParticipants ?? 0, numPublishers: r?.numPublishers ?? 0 });
    await s.until('when ListRooms pv-pub counts the publishing agent', 'pv-pub', async () => counts((await s.twirp.listRooms(['pv-pub']))[0]), (c) => c.numPublishers >= 1);
    await s.until(
      'when the human sees the agent publishing',
      'pv-pub',
      () => {
        const p = latestAbout(human, 'agent-pub');
        return p && { identity: p.identity, kind: ParticipantInfo_Kind[p.kind], isPublisher: p.isPublisher, tracks: p.tracks.length };
      },
      (p) => !!p?.isPublisher,
    );
    s.clients.delete('human'); // its view holds the agent's TrackInfo: compared by the media differential, not here
    human.close();
  } finally {
    await media.close();
  }
};

/**
 * Changes made through Twirp, as participants see them: UpdateParticipant (metadata, attributes: at once, to
 * everyone, the participant too), UpdateRoomMetadata (a RoomUpdate at once), RemoveParticipant (a Leave for the
 * removed one; the others see it DISCONNECTED on the ticker) and a second session under the same identity.
 */
export const twirpChangesScript: ViewScript = async (s) => {
  const alice = await s.join({ room: 'pv-admin', identity: 'alice' });
  const bob = await s.join({ room: 'pv-admin', identity: 'bob' });
  await s.until('when alice sees bob', 'pv-admin', () => latestAbout(alice, 'bob'), (p) => !!p);
  const updated = await s.twirp.updateParticipant('pv-admin', 'bob', { metadata: 'bob-md', attributes: { mood: 'calm' } });
  s.observations.push({ label: 'UpdateParticipant bob', room: 'pv-admin', at: Date.now(), value: updated });
  await s.until('when alice sees bob with metadata', 'pv-admin', () => latestAbout(alice, 'bob')?.metadata, (m) => m === 'bob-md');
  const room = await s.twirp.updateRoomMetadata('pv-admin', 'room-md');
  s.observations.push({ label: 'UpdateRoomMetadata pv-admin', room: 'pv-admin', at: Date.now(), value: room });
  await s.until('when bob gets the room metadata', 'pv-admin', () => bob.of('roomUpdate').at(-1)?.value.room?.metadata, (m) => m === 'room-md');
  await s.twirp.removeParticipant('pv-admin', 'bob');
  await s.until('when bob gets a Leave', 'pv-admin', () => bob.of('leave').length, (n) => n >= 1);
  await s.until('when alice sees bob removed', 'pv-admin', () => latestAbout(alice, 'bob')?.state, (st) => st === 3);
  await s.listParticipants('ListParticipants pv-admin after the removal', 'pv-admin');
};

/**
 * A track added (AddTrackRequest) that no offer ever carries: its client gets TrackPublishedResponse, but the room
 * never hears of it (participant.go keeps it pending until its media arrives): no update with it, not listed.
 */
export const pendingTrackScript: ViewScript = async (s) => {
  const watcher = await s.join({ room: 'pv-pending', identity: 'watcher' });
  const adder = await s.join({ room: 'pv-pending', identity: 'adder', canUpdateOwnMetadata: true });
  await s.until('when the watcher first sees the adder', 'pv-pending', () => latestAbout(watcher, 'adder'), (p) => !!p);
  adder.addTrack('mic-never-sent', TrackType.AUDIO);
  await s.until('when the adder gets TrackPublishedResponse', 'pv-pending', () => adder.of('trackPublished').map((t) => t.value.cid), (cids) => cids.length > 0);
  await s.listParticipants('ListParticipants pv-pending after TrackPublishedResponse', 'pv-pending');
  // a metadata change is announced at once: the watcher's view of the adder after it shows whether the track is in
  adder.setAttributes({ step: 'after-add-track' });
  await s.until('when the watcher sees the adder after its AddTrackRequest', 'pv-pending', () => latestAbout(watcher, 'adder'), (p) => p?.attributes.step === 'after-add-track');
};
