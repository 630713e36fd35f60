// Two real @livekit/rtc-node clients on /rtc/v1 (single PC): alice publishes a 440 Hz sine, bob subscribes by
// auto-subscribe. Reports what each saw; test/rtc/audio-forwarding.test.ts asserts on it.
import { AudioStream, RoomEvent, type RemoteTrack } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';
import { publishSine } from './sine-source.ts';

export interface AudioForwardingResult {
  publishedSid: string;
  /** `sid:participant` of bob's TrackSubscribed events. */
  subscribed: string[];
  framesWithEnergy: number;
  frames: number;
  /** alice's publication.waitForSubscription() resolved. */
  publisherSawSubscription: boolean;
  unpublishedSeenByBob: boolean;
  /** Frames with energy bob got after he saw the track unpublished (a late packet or two is tolerated). */
  framesAfterUnpublish: number;
  streamEnded: boolean;
  serverTrack: { mimeType: string; mid: string; codecMimes: string[] };
}

const RATE = 48_000;

runDriver(async (): Promise<AudioForwardingResult> => {
  const server = await startLabServer();
  const alice = await connectClient(server, await userToken(server, 'alice', 'media'));
  const bob = await connectClient(server, await userToken(server, 'bob', 'media'));

  const subscribed: string[] = [];
  let frames = 0;
  let framesWithEnergy = 0;
  let streamEnded = false;
  let unpublished = false;
  let framesAtUnpublish = 0;
  bob.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub, participant) => {
    subscribed.push(`${pub.sid}:${participant.identity}`);
    void (async () => {
      for await (const frame of new AudioStream(track, RATE, 1)) {
        frames++;
        let energy = 0;
        for (const s of frame.data) energy += s * s;
        if (energy > 0) framesWithEnergy++;
      }
      streamEnded = true;
    })().catch(() => (streamEnded = true));
  });
  bob.room.on(RoomEvent.TrackUnpublished, () => {
    unpublished = true;
    framesAtUnpublish = framesWithEnergy;
  });

  const sine = await publishSine(alice.room.localParticipant!);
  const publication = sine.publication;
  let publisherSawSubscription = false;
  void publication.waitForSubscription().then(() => (publisherSawSubscription = true));

  await waitFor(() => subscribed.length > 0, { reason: 'bob to get TrackSubscribed', timeoutMs: 20_000 });
  await waitFor(() => framesWithEnergy >= 100, { reason: 'bob to hear 100 frames with energy', timeoutMs: 20_000 });
  await waitFor(() => publisherSawSubscription, { reason: "alice's waitForSubscription()", timeoutMs: 10_000 });
  // TrackInfo as the server reports it once the SDP carried the track
  const admin = new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret);
  const listed = (await admin.listParticipants('media')).find((p) => p.identity === 'alice')?.tracks.find((t) => t.sid === publication.sid);

  await alice.room.localParticipant!.unpublishTrack(publication.sid!);
  await waitFor(() => unpublished, { reason: 'bob to see the track unpublished', timeoutMs: 15_000 });
  // after the unpublish the stream ends (the transceiver stops) or at least no more tone arrives
  await waitFor(() => streamEnded, { reason: 'bob to stop hearing alice', timeoutMs: 10_000 }).catch(() => undefined);
  await sine.stop().catch(() => undefined);

  const result: AudioForwardingResult = {
    publishedSid: publication.sid!,
    subscribed,
    frames,
    framesWithEnergy,
    publisherSawSubscription,
    unpublishedSeenByBob: unpublished,
    framesAfterUnpublish: framesWithEnergy - framesAtUnpublish,
    streamEnded,
    serverTrack: { mimeType: listed?.mimeType ?? '', mid: listed?.mid ?? '', codecMimes: listed?.codecs.map((c) => c.mimeType) ?? [] },
  };
  await alice.room.disconnect();
  await bob.room.disconnect();
  await server.close();
  return result;
});
