// Two real @livekit/rtc-node clients on /rtc/v1 and a late third: alice publishes generated video (one layer, the
// codec given by VIDEO_CODEC), bob subscribes at once, carol joins after frames flow, so her first frame needs the
// keyframe her PLI asks alice for through the mock. test/rtc/video-forwarding.test.ts asserts on the result.
import { RoomEvent, VideoStream, type RemoteTrack } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { publishGradientCamera } from './gradient-camera.ts';
import { connectClient, driverPhase, runDriver, startLabServer, userToken, type ObservedRoom } from './driver-kit.ts';

export interface VideoForwardingResult {
  publishedSid: string;
  /** Frames each subscriber decoded, and the size of the first. */
  bob: { frames: number; size: string };
  carol: { frames: number; size: string };
  serverTrack: { mimeType: string; width: number; height: number };
}

const WIDTH = 320;
const HEIGHT = 240;

/** Counts the frames a subscriber decodes from the first video track it gets. */
function countFrames(client: ObservedRoom) {
  const seen = { frames: 0, size: '' };
  client.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    void (async () => {
      for await (const ev of new VideoStream(track)) {
        seen.frames++;
        seen.size ||= `${ev.frame.width}x${ev.frame.height}`;
      }
    })().catch(() => undefined);
  });
  return seen;
}

runDriver(async (): Promise<VideoForwardingResult> => {
  const server = await startLabServer();
  driverPhase('connecting alice and bob');
  const alice = await connectClient(server, await userToken(server, 'alice', 'video'));
  const bob = await connectClient(server, await userToken(server, 'bob', 'video'));
  const bobSeen = countFrames(bob);

  driverPhase('publishing');
  const camera = await publishGradientCamera(alice.room.localParticipant!, { width: WIDTH, height: HEIGHT, codec: process.env.VIDEO_CODEC === 'h264' ? 'h264' : 'vp8', simulcast: false });
  const publication = camera.publication;

  driverPhase('waiting for bob\'s frames');
  await waitFor(() => bobSeen.frames >= 30, { reason: 'bob to decode 30 frames', timeoutMs: 30_000 });
  driverPhase('connecting carol');
  const carol = await connectClient(server, await userToken(server, 'carol', 'video'));
  const carolSeen = countFrames(carol);
  driverPhase('waiting for carol\'s frames');
  await waitFor(() => carolSeen.frames >= 30, { reason: 'carol (joined late) to decode 30 frames', timeoutMs: 30_000 });
  driverPhase('listing participants');
  const admin = new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret);
  const listed = (await admin.listParticipants('video')).find((p) => p.identity === 'alice')?.tracks.find((t) => t.sid === publication.sid);
  await camera.stop();
  const result: VideoForwardingResult = {
    publishedSid: publication.sid!,
    bob: bobSeen,
    carol: carolSeen,
    serverTrack: { mimeType: listed?.mimeType ?? '', width: listed?.width ?? 0, height: listed?.height ?? 0 },
  };
  for (const c of [alice, bob, carol]) {
    driverPhase(`disconnecting ${c.room.localParticipant?.identity}`);
    await c.room.disconnect();
  }
  driverPhase('closing the server');
  await server.close();
  return result;
});
