import { AudioStream, DisconnectReason, Room, RoomEvent, TrackKind, TrackPublishOptions, TrackSource, VideoStream, type RemoteParticipant, type RemoteTrack } from '@livekit/rtc-node';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { ScenarioStepError } from '../errors.ts';
import { generatedVideo, silentAudio, type MediaPump } from './media-pumps.ts';
import type { ParticipantDriver, ParticipantJoin, PublishOptions } from './participant-driver.ts';
import { participantToken } from './participant-token.ts';

interface Session {
  room: Room;
  pumps: MediaPump[];
}

export interface MediaParticipantsOptions {
  /** How long a join (signalling + ICE + DTLS) may take; default 15 s. */
  connectTimeoutMs?: number;
}

/**
 * Participants that are real WebRTC clients (@livekit/rtc-node): they join, publish tracks with media flowing,
 * and leave. livekit-server counts a track as published only once media arrives, so this is the driver that
 * can publish on a real server. libwebrtc gathers no loopback candidates: the server must be on a
 * non-loopback address (see mediaUnavailableReason), in the tests a network namespace's veth address.
 */
export class MediaParticipants implements ParticipantDriver {
  readonly name = 'media (rtc-node)';
  readonly canPublish = true;
  readonly #sessions = new Map<string, Session>();
  #departed: (room: string, identity: string, reason: string) => void = () => {};

  constructor(
    private readonly target: LiveKitTarget,
    private readonly opts: MediaParticipantsOptions = {},
  ) {}

  async join(p: ParticipantJoin): Promise<void> {
    const token = p.token ?? (await participantToken(this.target, p));
    const room = new Room();
    const timeoutMs = this.opts.connectTimeoutMs ?? 15_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ScenarioStepError(`participant ${p.identity}: Room.connect to ${this.target.wsUrl} did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      // no subscriptions unless it listens: a scenario participant usually only needs to be present and to publish
      if (p.listen) this.#listen(room, p.room, p.identity);
      await Promise.race([room.connect(this.target.wsUrl, token, { autoSubscribe: !!p.listen, dynacast: false }), timeout]);
    } catch (e) {
      await room.disconnect().catch(() => undefined);
      throw e instanceof ScenarioStepError ? e : new ScenarioStepError(`participant ${p.identity}: cannot join ${p.room} on ${this.target.wsUrl}: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    const key = keyOf(p.room, p.identity);
    const session: Session = { room, pumps: [] };
    this.#sessions.set(key, session);
    // the server ended the participant (DeleteRoom, RemoveParticipant, room close); our own leave deletes first
    room.on(RoomEvent.Disconnected, (reason) => {
      if (this.#sessions.get(key) !== session) return;
      this.#sessions.delete(key);
      void stopPumps(session);
      this.#departed(p.room, p.identity, DisconnectReason[reason] ?? 'UNKNOWN_REASON');
    });
  }

  /**
   * A listener decodes every track it is subscribed to and records `media.received` at 1, 10, 50, 100, 200, 500,
   * 1000, … frames (audio: also the count of frames with energy, with their pitch), so `received` expectations can
   * wait for them.
   */
  #listen(room: Room, roomName: string, identity: string): void {
    const record = (from: string, track: 'audio' | 'video', frames: number, withEnergy: boolean, hz?: number) => {
      if (frames === 1 || frames === 10 || frames === 50 || (frames % 100 === 0 && (frames <= 200 || frames % 500 === 0))) {
        this.target.trace.record({ kind: 'media.received', room: roomName, identity, from, track, frames, withEnergy, ...(hz === undefined ? {} : { hz }) });
      }
    };
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, participant: RemoteParticipant) => {
      const from = participant.identity;
      void (async () => {
        if (track.kind === TrackKind.KIND_AUDIO) {
          let frames = 0;
          let loud = 0;
          // the pitch of the last PITCH_WINDOW frames with energy: the first frames of a stream (codec warm-up) are noise
          const window: { crossings: number; samples: number }[] = [];
          for await (const frame of new AudioStream(track, 48_000, 1)) {
            record(from, 'audio', ++frames, false);
            if (!frame.data.some((s) => Math.abs(s) > 1000)) continue;
            window.push({ crossings: zeroCrossings(frame.data), samples: frame.data.length });
            if (window.length > PITCH_WINDOW) window.shift();
            const crossings = window.reduce((n, f) => n + f.crossings, 0);
            const samples = window.reduce((n, f) => n + f.samples, 0);
            // a sine crosses zero twice per period
            record(from, 'audio', ++loud, true, Math.round((crossings * 48_000) / (2 * samples)));
          }
        } else {
          let frames = 0;
          for await (const _ of new VideoStream(track)) record(from, 'video', ++frames, false);
        }
      })().catch(() => undefined); // the stream ends with the subscription or the room
    });
  }

  onDeparted(listener: (room: string, identity: string, reason: string) => void): void {
    this.#departed = listener;
  }

  async publish(room: string, identity: string, track: 'audio' | 'video', options: PublishOptions = {}): Promise<void> {
    const session = this.#sessions.get(keyOf(room, identity));
    if (!session) throw new ScenarioStepError(`participant ${identity} is not in room ${room} (join it before publishing)`);
    const pump = track === 'audio' ? silentAudio(`${identity}-audio`, options) : generatedVideo(`${identity}-video`, options);
    session.pumps.push(pump);
    const source = track === 'audio' ? TrackSource.SOURCE_MICROPHONE : TrackSource.SOURCE_CAMERA;
    try {
      // resolves on the server's track_published; the pump keeps media flowing so the server's side follows.
      // Simulcast off: the mock forwards single-layer video only (deliberate difference rtc-media-scope).
      await session.room.localParticipant!.publishTrack(pump.track, new TrackPublishOptions({ source, simulcast: false }));
    } catch (e) {
      throw new ScenarioStepError(`participant ${identity}: publishing ${track} in ${room} failed: ${(e as Error).message}`);
    }
  }

  async leave(room: string, identity: string): Promise<void> {
    const key = keyOf(room, identity);
    const session = this.#sessions.get(key);
    if (!session) return;
    this.#sessions.delete(key);
    await stopPumps(session);
    // disconnect sends LeaveRequest{CLIENT_INITIATED}, so the server ends the participant at once
    await session.room.disconnect();
  }

  async close(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map(async (s) => {
      await stopPumps(s);
      await s.room.disconnect().catch(() => undefined);
    }));
  }
}

async function stopPumps(session: Session): Promise<void> {
  const pumps = session.pumps.splice(0);
  await Promise.all(pumps.map((p) => p.stop()));
}

/** Frames (10 ms each) a pitch is measured over: 250 ms, a resolution of 2 Hz. */
const PITCH_WINDOW = 25;

/** Sign changes between consecutive samples (a pitch estimate for a tone; speech and noise give no single pitch). */
function zeroCrossings(samples: Int16Array): number {
  let n = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) n++;
  return n;
}

const keyOf = (room: string, identity: string) => `${room}\u0000${identity}`;
