// A real @livekit/rtc-node client publishes 1280x720 VP8 with simulcast (three rid layers, q/h/f), on the mock and then
// on livekit-server v1.13.5: bob subscribes at once, carol joins once bob decodes the top layer. Each reports the
// frame sizes it decoded, in order of first appearance. test/rtc/simulcast-forwarding.test.ts compares the two.
import { RoomEvent, VideoStream, type RemoteTrack } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import type { LiveKitTarget } from '../../../targets/livekit-target.ts';
import { publishGradientCamera } from './gradient-camera.ts';
import { connectClient, driverPhase, onMockAndReal, runDriver, userToken, type ObservedRoom, type ServerRef } from './driver-kit.ts';

export interface SimulcastView {
  /** The layers the server's TrackInfo lists for the publication. */
  announcedLayers: string[];
  /** Sizes each subscriber decoded, in the order they first appeared, and how many frames came at the top size. */
  bob: { sizes: string[]; topFrames: number };
  carol: { sizes: string[]; topFrames: number };
}

const WIDTH = 1280;
const HEIGHT = 720;
const TOP = `${WIDTH}x${HEIGHT}`;
const ENOUGH = 20;

function watchFrames(client: ObservedRoom) {
  const seen = { sizes: [] as string[], topFrames: 0 };
  client.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    void (async () => {
      for await (const ev of new VideoStream(track)) {
        const size = `${ev.frame.width}x${ev.frame.height}`;
        if (!seen.sizes.includes(size)) seen.sizes.push(size);
        if (size === TOP) seen.topFrames++;
      }
    })().catch(() => undefined);
  });
  return seen;
}

async function observe(target: LiveKitTarget): Promise<SimulcastView> {
  const server: ServerRef = { url: target.wsUrl, apiKey: target.apiKey, apiSecret: target.apiSecret };
  driverPhase(`connecting on ${target.kind}`);
  const alice = await connectClient(server, await userToken(server, 'alice', 'simulcast'));
  const bob = await connectClient(server, await userToken(server, 'bob', 'simulcast'));
  const bobSeen = watchFrames(bob);
  driverPhase(`publishing on ${target.kind}`);
  const camera = await publishGradientCamera(alice.room.localParticipant!, { width: WIDTH, height: HEIGHT, codec: 'vp8', simulcast: true });
  const publication = camera.publication;
  try {
    driverPhase(`waiting for bob's top layer on ${target.kind}`);
    await waitFor(() => bobSeen.topFrames >= ENOUGH, { reason: () => `bob to decode ${ENOUGH} frames at ${TOP} (sizes so far: ${bobSeen.sizes.join(', ') || 'none'})`, timeoutMs: 40_000 });
    const carol = await connectClient(server, await userToken(server, 'carol', 'simulcast'));
    const carolSeen = watchFrames(carol);
    driverPhase(`waiting for carol's top layer on ${target.kind}`);
    await waitFor(() => carolSeen.topFrames >= ENOUGH, { reason: () => `carol to decode ${ENOUGH} frames at ${TOP} (sizes so far: ${carolSeen.sizes.join(', ') || 'none'})`, timeoutMs: 40_000 });
    const admin = new RoomServiceClient(target.httpUrl, target.apiKey, target.apiSecret);
    const listed = (await admin.listParticipants('simulcast')).find((p) => p.identity === 'alice')?.tracks.find((t) => t.sid === publication.sid);
    const view: SimulcastView = {
      announcedLayers: (listed?.layers ?? []).map((l) => `${l.width}x${l.height}`),
      bob: { sizes: bobSeen.sizes, topFrames: bobSeen.topFrames },
      carol: { sizes: carolSeen.sizes, topFrames: carolSeen.topFrames },
    };
    driverPhase(`disconnecting on ${target.kind}`);
    await carol.room.disconnect();
    return view;
  } finally {
    await camera.stop();
    for (const c of [alice, bob]) await c.room.disconnect();
  }
}

runDriver(() => onMockAndReal(observe));
