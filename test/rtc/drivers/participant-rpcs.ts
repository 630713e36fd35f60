// The RoomService calls that act on a live participant's session, on the mock and on livekit-server v1.13.5 in the
// same namespace: Twirp UpdateSubscriptions subscribes bob (autoSubscribe off) to alice's microphone,
// MutePublishedTrack mutes it (alice's SDK is told, bob sees it muted; unmuting is refused), SendData reaches only
// its destination. test/rtc/participant-rpcs.test.ts compares the two observations.
import { AudioFrame, AudioSource, AudioStream, LocalAudioTrack, RoomEvent, TrackPublishOptions, TrackSource, type RemoteTrack } from '@livekit/rtc-node';
import { DataPacket_Kind, RoomServiceClient, TwirpError } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import type { LiveKitTarget } from '../../../targets/livekit-target.ts';
import { connectClient, onMockAndReal, runDriver, userToken, type ServerRef } from './driver-kit.ts';

export interface ParticipantRpcsView {
  /** bob's TrackSubscribed before and after UpdateSubscriptions. */
  subscribedBefore: number;
  subscribedAfter: string[];
  bobHeardFrames: boolean;
  muteAnswerMuted: boolean | undefined;
  aliceLocalMuted: boolean;
  bobSawMuted: boolean;
  unmuteError: string;
  /** `identity:topic:payload` of what each got through SendData (no sender participant). */
  bobData: string[];
  carolData: string[];
}

async function observe(target: LiveKitTarget): Promise<ParticipantRpcsView> {
  const server: ServerRef = { url: target.wsUrl, apiKey: target.apiKey, apiSecret: target.apiSecret };
  const admin = new RoomServiceClient(target.httpUrl, target.apiKey, target.apiSecret);
  const alice = await connectClient(server, await userToken(server, 'alice', 'rpcs'));
  const bob = await connectClient(server, await userToken(server, 'bob', 'rpcs'), { autoSubscribe: false });
  const carol = await connectClient(server, await userToken(server, 'carol', 'rpcs'), { autoSubscribe: false });
  const subscribed: string[] = [];
  let frames = 0;
  let bobSawMuted = false;
  bob.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub) => {
    subscribed.push(pub.sid!);
    void (async () => {
      for await (const _ of new AudioStream(track, 48_000, 1)) frames++;
    })().catch(() => undefined);
  });
  bob.room.on(RoomEvent.TrackMuted, (pub) => void (pub.sid && (bobSawMuted = true)));
  const got = (who: string, into: string[]) => (payload: Uint8Array, p: unknown, _k: unknown, topic?: string) =>
    into.push(`${who}:${p === undefined ? 'server' : 'participant'}:${topic}:${Buffer.from(payload).toString()}`);
  const bobData: string[] = [];
  const carolData: string[] = [];
  bob.room.on(RoomEvent.DataReceived, got('bob', bobData));
  carol.room.on(RoomEvent.DataReceived, got('carol', carolData));

  const source = new AudioSource(48_000, 1);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  const publication = await alice.room.localParticipant!.publishTrack(LocalAudioTrack.createAudioTrack('mic', source), options);
  let pumping = true;
  const pump = (async () => {
    while (pumping) await source.captureFrame(new AudioFrame(new Int16Array(480).fill(3000), 48_000, 1, 480));
  })();
  await waitFor(() => bob.room.remoteParticipants.get('alice')?.trackPublications.size === 1, { reason: 'bob to see alice publish', timeoutMs: 15_000 });
  const subscribedBefore = subscribed.length;

  await admin.updateSubscriptions('rpcs', 'bob', [publication.sid!], true);
  await waitFor(() => subscribed.length > 0 && frames >= 50, { reason: 'bob to be subscribed by UpdateSubscriptions and hear 50 frames', timeoutMs: 20_000 });

  const muted = await admin.mutePublishedTrack('rpcs', 'alice', publication.sid!, true);
  await waitFor(() => bobSawMuted && publication.muted === true, { reason: 'bob to see the track muted and alice to mute it locally', timeoutMs: 10_000 }).catch(() => undefined);
  let unmuteError = '';
  await admin.mutePublishedTrack('rpcs', 'alice', publication.sid!, false).catch((e: unknown) => (unmuteError = e instanceof TwirpError ? `${e.code}: ${e.message}` : String(e)));

  await admin.sendData('rpcs', Buffer.from('for-bob'), DataPacket_Kind.RELIABLE, { destinationIdentities: ['bob'], topic: 'ops' });
  await waitFor(() => bobData.length > 0, { reason: 'bob to get the SendData packet', timeoutMs: 10_000 }).catch(() => undefined);
  await admin.sendData('rpcs', Buffer.from('for-all'), DataPacket_Kind.RELIABLE, { topic: 'all' });
  await waitFor(() => bobData.length > 1 && carolData.length > 0, { reason: 'bob and carol to get the broadcast', timeoutMs: 10_000 }).catch(() => undefined);

  pumping = false;
  await pump;
  for (const c of [alice, bob, carol]) await c.room.disconnect();
  return {
    subscribedBefore,
    subscribedAfter: subscribed.map((s) => (s === publication.sid ? 'the mic' : s)),
    bobHeardFrames: frames >= 50,
    muteAnswerMuted: muted.muted,
    aliceLocalMuted: publication.muted === true,
    bobSawMuted,
    unmuteError,
    bobData,
    carolData,
  };
}

runDriver(() => onMockAndReal(observe));
