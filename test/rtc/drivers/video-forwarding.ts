// Two real @livekit/rtc-node clients on /rtc/v1 and a late third: alice publishes generated video (one layer, the
// codec given by VIDEO_CODEC), bob subscribes at once, carol joins after frames flow, so her first frame needs the
// keyframe her PLI asks alice for through the mock. test/rtc/video-forwarding.test.ts asserts on the result.
import {
  LocalVideoTrack,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoCodec,
  VideoFrame,
  VideoSource,
  VideoStream,
  type RemoteTrack,
} from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
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
  const source = new VideoSource(WIDTH, HEIGHT);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_CAMERA;
  options.simulcast = false;
  options.videoCodec = process.env.VIDEO_CODEC === 'h264' ? VideoCodec.H264 : VideoCodec.VP8;
  const publication = await alice.room.localParticipant!.publishTrack(LocalVideoTrack.createVideoTrack('cam', source), options);
  let pumping = true;
  let n = 0;
  const pump = (async () => {
    const rgba = new Uint8Array(WIDTH * HEIGHT * 4);
    while (pumping) {
      // a moving gradient, so the encoder has something to send
      for (let i = 0; i < rgba.length; i += 4) rgba[i] = rgba[i + 1] = (i / 4 + n * 7) % 256;
      source.captureFrame(new VideoFrame(rgba, WIDTH, HEIGHT, VideoBufferType.RGBA));
      n++;
      await new Promise((r) => setTimeout(r, 33));
    }
  })();

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
  pumping = false;
  await pump;
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
