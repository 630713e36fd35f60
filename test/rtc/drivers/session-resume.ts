// A signal connection lost without a leave, on the mock and on livekit-server v1.13.5 in the same namespace:
// alice's signalling goes through a TCP fault proxy that resets it; her rtc-node client resumes (reconnect=1)
// on the same session. Her publication keeps its SID, bob keeps hearing her, and data goes on both ways.
// test/rtc/session-resume.test.ts compares the two observations.
import { AudioStream, RoomEvent, type RemoteTrack } from '@livekit/rtc-node';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { FaultProxy } from '../../../targets/fault-proxy.ts';
import type { LiveKitTarget } from '../../../targets/livekit-target.ts';
import { connectClient, onMockAndReal, runDriver, serverAddress, userToken, type ServerRef } from './driver-kit.ts';
import { publishSine } from './sine-source.ts';

export interface SessionResumeView {
  /** alice's microphone publication and her participant kept their SIDs. */
  publicationKept: boolean;
  participantKept: boolean;
  aliceEvents: string[];
  bobEvents: string[];
  /** Frames with energy bob heard in the 10 s after alice's Reconnected (10 ms frames: 1000 is all of them). */
  framesAfterResume: number;
  bobGot: string[];
  aliceGot: string[];
}

const AFTER_RESUME_MS = 10_000;

async function observe(target: LiveKitTarget): Promise<SessionResumeView> {
  const server: ServerRef = { url: target.wsUrl, apiKey: target.apiKey, apiSecret: target.apiSecret };
  const upstream = new URL(target.httpUrl);
  const proxy = await FaultProxy.start({ host: serverAddress(), upstreamHost: upstream.hostname, upstreamPort: Number(upstream.port) });
  const alice = await connectClient({ ...server, url: proxy.wsUrl }, await userToken(server, 'alice', 'r'));
  for (const ev of [RoomEvent.Reconnecting, RoomEvent.Reconnected]) alice.room.on(ev, () => alice.events.push(String(ev)));
  const bob = await connectClient(server, await userToken(server, 'bob', 'r'));
  const bobGot: string[] = [];
  const aliceGot: string[] = [];
  bob.room.on(RoomEvent.DataReceived, (payload) => bobGot.push(new TextDecoder().decode(payload)));
  alice.room.on(RoomEvent.DataReceived, (payload) => aliceGot.push(new TextDecoder().decode(payload)));
  let frames = 0;
  bob.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    void (async () => {
      for await (const frame of new AudioStream(track, 48_000, 1)) if (frame.data.some((s) => s !== 0)) frames++;
    })();
  });
  const mic = await publishSine(alice.room.localParticipant!);
  await waitFor(() => frames >= 100, { reason: 'bob to hear alice', timeoutMs: 20_000 });
  const aliceSidBefore = alice.room.localParticipant!.sid!;

  // alice's signal socket reset (TCP RST, no leave); her PeerConnection stays up
  proxy.add({ name: 'cut', type: 'reset' });
  await waitFor(() => alice.events.includes(String(RoomEvent.Reconnected)), { reason: 'alice to resume', timeoutMs: 30_000 });
  const mark = frames;
  const resumedAt = performance.now();
  await alice.room.localParticipant!.publishData(new TextEncoder().encode('from alice after the resume'), { reliable: true });
  await bob.room.localParticipant!.publishData(new TextEncoder().encode('from bob after the resume'), { reliable: true });
  await waitFor(() => bobGot.length > 0 && aliceGot.length > 0, { reason: 'data both ways after the resume', timeoutMs: 10_000 });
  await waitFor(() => performance.now() - resumedAt >= AFTER_RESUME_MS, { reason: 'a 10 s listening window', timeoutMs: AFTER_RESUME_MS + 5_000 });
  const result: SessionResumeView = {
    publicationKept: [...alice.room.localParticipant!.trackPublications.values()].every((p) => p.sid === mic.publication.sid),
    participantKept: alice.room.localParticipant!.sid === aliceSidBefore,
    aliceEvents: alice.events,
    bobEvents: bob.events,
    framesAfterResume: frames - mark,
    bobGot,
    aliceGot,
  };
  await mic.stop();
  await bob.room.disconnect();
  await alice.room.disconnect();
  await proxy.close();
  return result;
}

runDriver(() => onMockAndReal(observe));
