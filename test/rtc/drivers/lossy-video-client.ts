// The clients of lossy-video.ts, in their own namespace (client-namespace.ts): a publisher of generated 320x240 VP8
// and a subscriber that times each frame it decodes, first without loss, then with LOSS of every UDP packet dropped
// in each direction. Reports the frame rate and the freezes (gaps over 300 ms) of that window.
import { RoomEvent, VideoStream, type RemoteTrack } from '@livekit/rtc-node';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { enterClientNamespace, udpLoss } from './client-namespace.ts';
import { connectClient, driverPhase, runDriver } from './driver-kit.ts';
import { publishGradientCamera } from './gradient-camera.ts';

export interface LossyVideoWindow {
  loss: number;
  fps: number;
  freezes: number;
  longestGapMs: number;
}

const FREEZE_MS = 300;

runDriver(async (): Promise<LossyVideoWindow> => {
  await enterClientNamespace();
  const server = { url: process.env.LOSSY_URL!, apiKey: '', apiSecret: '' };
  const loss = Number(process.env.LOSSY_LOSS);
  const windowMs = Number(process.env.LOSSY_WINDOW_MS);
  driverPhase('connecting');
  const publisher = await connectClient(server, process.env.LOSSY_PUBLISHER_TOKEN!);
  const subscriber = await connectClient(server, process.env.LOSSY_SUBSCRIBER_TOKEN!);
  const decodedAt: number[] = [];
  subscriber.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    void (async () => {
      for await (const _ of new VideoStream(track)) decodedAt.push(performance.now());
    })().catch(() => undefined);
  });
  const camera = await publishGradientCamera(publisher.room.localParticipant!, { width: 320, height: 240, codec: 'vp8', simulcast: false });
  driverPhase('waiting for frames without loss');
  await waitFor(() => decodedAt.length >= 40, { reason: 'the subscriber to decode 40 frames without loss', timeoutMs: 30_000 });
  driverPhase(`measuring with ${loss * 100} % loss`);
  udpLoss(loss);
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const end = performance.now();
  udpLoss(0);
  const inWindow = decodedAt.filter((t) => t >= start && t <= end);
  const marks = [start, ...inWindow, end];
  const gaps = marks.slice(1).map((t, i) => t - marks[i]!);
  await camera.stop();
  return {
    loss,
    fps: inWindow.length / ((end - start) / 1000),
    freezes: gaps.filter((g) => g > FREEZE_MS).length,
    longestGapMs: Math.round(Math.max(...gaps)),
  };
});
