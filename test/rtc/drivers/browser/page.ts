// The page Chromium runs (bundled by esbuild with livekit-client): joins the room given in the URL hash, publishes
// the fake microphone, and reports what it gets: its own subscribed tracks, audio packets received (getStats) and
// data packets. The driver reads window.lab.
import { Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';

interface LabState {
  connected: boolean;
  error?: string;
  subscribed: string[];
  audioPacketsReceived: number;
  data: string[];
  published?: string;
  disconnectReason?: number;
  /** Connection events after the first connect (reconnecting, reconnected, …). */
  events: string[];
  send?: (text: string) => Promise<void>;
}

const state: LabState = { connected: false, subscribed: [], audioPacketsReceived: 0, data: [], events: [] };
// the repo's TypeScript has no DOM lib: the page reaches its globals through globalThis
const page = globalThis as unknown as { lab: LabState; location: { hash: string } };
page.lab = state;

async function main(): Promise<void> {
  const params = new URLSearchParams(page.location.hash.slice(1));
  // livekit-client 2.23 signals on /rtc/v1 with one PeerConnection by default; `v0` asks for /rtc and two
  const room = new Room({ adaptiveStream: false, dynacast: false, singlePeerConnection: params.get('mode') !== 'v0' });
  const tracks: RemoteTrack[] = [];
  room.on(RoomEvent.TrackSubscribed, (track, pub, participant) => {
    state.subscribed.push(`${participant.identity}:${pub.kind}`);
    tracks.push(track);
  });
  room.on(RoomEvent.DataReceived, (payload, participant) => state.data.push(`${participant?.identity ?? 'server'}:${new TextDecoder().decode(payload)}`));
  room.on(RoomEvent.Disconnected, (reason) => (state.disconnectReason = reason));
  room.on(RoomEvent.Reconnecting, () => state.events.push('reconnecting'));
  room.on(RoomEvent.Reconnected, () => state.events.push('reconnected'));
  room.on(RoomEvent.SignalReconnecting, () => state.events.push('signal_reconnecting'));
  await room.connect(params.get('url')!, params.get('token')!, { autoSubscribe: true });
  state.connected = true;
  const pub = await room.localParticipant.setMicrophoneEnabled(true);
  state.published = pub?.trackSid;
  state.send = (text) => room.localParticipant.publishData(new TextEncoder().encode(text), { reliable: true });
  await state.send('hello from the browser');
  setInterval(() => {
    void (async () => {
      let packets = 0;
      for (const t of tracks) {
        if (t.kind !== Track.Kind.Audio || !t.receiver) continue;
        (await t.receiver.getStats()).forEach((r: { type: string; packetsReceived?: number }) => {
          if (r.type === 'inbound-rtp') packets += r.packetsReceived ?? 0;
        });
      }
      state.audioPacketsReceived = packets;
    })();
  }, 250);
}

main().catch((e: unknown) => (state.error = String(e)));
