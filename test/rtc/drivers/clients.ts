// Real @livekit/rtc-node clients against the mock, inside the test namespace. Reports what they saw;
// test/rtc/rtc-clients.test.ts asserts on it.
import { JobType } from '@livekit/protocol';
import { AudioSource, LocalAudioTrack, RoomEvent, TrackPublishOptions, TrackSource } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { RawWorker } from '../../support/raw-worker.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';

runDriver(async () => {
  const server = await startLabServer();
  const workerOpts = { url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret };
  const participantWorker = await new RawWorker({ ...workerOpts, jobType: JobType.JT_PARTICIPANT }).connect();
  const publisherWorker = await new RawWorker({ ...workerOpts, jobType: JobType.JT_PUBLISHER }).connect();
  await participantWorker.register();
  await publisherWorker.register();
  const admin = new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret);

  const alice = await connectClient(server, await userToken(server, 'alice', 'room-a', { attributes: { role: 'host' } }));
  const bob = await connectClient(server, await userToken(server, 'bob', 'room-a', { attributes: { role: 'guest' } }));
  await waitFor(() => alice.room.remoteParticipants.has('bob'), { reason: 'alice to see bob', timeoutMs: 20_000 });

  // a virtual participant through the control API looks like any other participant
  const virtualRes = await fetch(`${server.httpUrl}/_lab/rooms/room-a/participants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await userToken(server, 'admin', 'room-a')}` },
    body: JSON.stringify({ identity: 'virtual-carol', attributes: { v: '1' } }),
  });
  if (virtualRes.status !== 201) throw new Error(`virtual participant: ${virtualRes.status}`);
  await waitFor(() => alice.room.remoteParticipants.has('virtual-carol'), { reason: 'alice to see virtual-carol', timeoutMs: 20_000 });

  // attributes changed by bob reach alice
  await bob.room.localParticipant!.setAttributes({ mood: 'curious' });
  await waitFor(() => alice.room.remoteParticipants.get('bob')?.attributes.mood === 'curious', { reason: 'alice to see bob change', timeoutMs: 20_000 });

  // data: broadcast, destination-filtered, text stream
  const bobGot: string[] = [];
  const aliceGot: string[] = [];
  bob.room.on(RoomEvent.DataReceived, (payload, p, _kind, topic) => bobGot.push(`${p?.identity}:${topic ?? ''}:${Buffer.from(payload).toString()}`));
  alice.room.on(RoomEvent.DataReceived, (payload, p) => aliceGot.push(`${p?.identity}:${Buffer.from(payload).toString()}`));
  bob.room.registerTextStreamHandler('chat', async (reader, info) => void bobGot.push(`text:${info.identity}:${await reader.readAll()}`));
  await alice.room.localParticipant!.publishData(Buffer.from('not for bob'), { reliable: true, destination_identities: ['virtual-carol'] });
  await alice.room.localParticipant!.publishData(Buffer.from('hi bob'), { reliable: true, topic: 't1' });
  await bob.room.localParticipant!.publishData(Buffer.from('hi alice'), { reliable: true, destination_identities: ['alice'] });
  await alice.room.localParticipant!.sendText('hello over a text stream', { topic: 'chat' });
  await waitFor(() => bobGot.includes('alice:t1:hi bob') && bobGot.some((x) => x.startsWith('text:')), { reason: 'bob to get data and text', timeoutMs: 20_000 });
  await waitFor(() => aliceGot.includes('bob:hi alice'), { reason: 'alice to get data', timeoutMs: 20_000 });

  // publishing a track launches JT_PUBLISHER (once), joining launched JT_PARTICIPANT
  const source = new AudioSource(48_000, 1);
  const track = LocalAudioTrack.createAudioTrack('mic', source);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  const publication = await alice.room.localParticipant!.publishTrack(track, options);
  await waitFor(() => publisherWorker.of('assignment').length >= 1, { reason: 'a JT_PUBLISHER assignment', timeoutMs: 20_000 });
  await waitFor(() => (alice.room.remoteParticipants.get('bob') ? true : true) && (bob.room.remoteParticipants.get('alice')?.trackPublications.size ?? 0) > 0, { reason: 'bob to see alice publish', timeoutMs: 20_000 });

  // bob leaves by himself; alice sees it
  await bob.room.disconnect();
  await waitFor(() => alice.events.includes('disconnected:bob'), { reason: 'alice to see bob leave', timeoutMs: 20_000 });

  // RemoveParticipant disconnects with PARTICIPANT_REMOVED
  const dave = await connectClient(server, await userToken(server, 'dave', 'room-a'));
  // a join and a leave inside one update batch reach alice as a leave of someone she never saw (room.go batching)
  await waitFor(() => alice.room.remoteParticipants.has('dave'), { reason: 'alice to see dave', timeoutMs: 20_000 });
  await admin.removeParticipant('room-a', 'dave');
  await waitFor(() => dave.events.some((e) => e.startsWith('room_disconnected:')), { reason: 'dave removed', timeoutMs: 20_000 });
  await waitFor(() => alice.events.includes('disconnected:dave'), { reason: 'alice to see dave leave', timeoutMs: 20_000 });

  // DeleteRoom disconnects everyone with ROOM_DELETED
  await admin.deleteRoom('room-a');
  await waitFor(() => alice.events.some((e) => e.startsWith('room_disconnected:')), { reason: 'alice disconnected', timeoutMs: 20_000 });

  const jobTypes = (w: RawWorker) => w.of('assignment').map((a) => `${JobType[a.job!.type]}:${a.job!.participant?.identity}`);
  const result = {
    alice: { connectMs: Math.round(alice.connectMs), events: alice.events, got: aliceGot },
    bob: { connectMs: Math.round(bob.connectMs), events: bob.events, got: bobGot, sawAliceAttributes: bob.room.remoteParticipants.get('alice')?.attributes ?? null },
    dave: { events: dave.events },
    publicationSid: publication.sid,
    participantJobs: jobTypes(participantWorker).sort(),
    publisherJobs: jobTypes(publisherWorker),
  };
  await participantWorker.close();
  await publisherWorker.close();
  await server.close();
  return result;
});
