import { AudioFrame, AudioSource, LocalAudioTrack, LocalVideoTrack, VideoBufferType, VideoFrame, VideoSource, type LocalTrack } from '@livekit/rtc-node';

/** A local track with a source that keeps feeding it until stopped. */
export interface MediaPump {
  readonly track: LocalTrack;
  stop(): Promise<void>;
}

const SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = 480; // 10 ms, the frame size libwebrtc's audio pipeline works in

/**
 * Silence from an AudioSource, fed until stopped. livekit-server counts a track as published only when its
 * first RTP packet arrives (pion's OnTrack), which can be well after publishTrack resolves (the publisher
 * transport may still be connecting), and frames captured before the track sends are dropped. So the pump runs
 * for the participant's lifetime rather than pushing a fixed few frames. captureFrame paces the loop: it
 * resolves only when the source's queue has room.
 */
export function silentAudio(name: string, { tone = false, toneHz = 440 } = {}): MediaPump {
  const source = new AudioSource(SAMPLE_RATE, 1, 200);
  const track = LocalAudioTrack.createAudioTrack(name, source);
  let running = true;
  let phase = 0;
  // `tone`: a sine (440 Hz unless `toneHz`), so a listener can tell the publisher's audio from silence
  const next = () => {
    const frame = AudioFrame.create(SAMPLE_RATE, 1, FRAME_SAMPLES);
    if (tone) for (let i = 0; i < FRAME_SAMPLES; i++) frame.data[i] = Math.round(8000 * Math.sin((2 * Math.PI * toneHz * phase++) / SAMPLE_RATE));
    return frame;
  };
  const loop = (async () => {
    while (running) {
      try {
        await source.captureFrame(next());
      } catch {
        return; // the source was closed under us (room gone): nothing left to feed
      }
    }
  })();
  return {
    track,
    async stop() {
      running = false;
      await source.close().catch(() => undefined);
      await loop;
    },
  };
}

const WIDTH = 64;
const HEIGHT = 64;

/** An I420 frame (64x64, the smallest the encoder accepts): black, or a diagonal gradient shifted by `t`. */
function i420Frame(t: number | undefined): VideoFrame {
  const data = new Uint8Array(WIDTH * HEIGHT * 1.5);
  if (t !== undefined) for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data[y * WIDTH + x] = ((x + y + t) * 4) & 0xff;
  data.fill(128, WIDTH * HEIGHT); // neutral chroma
  return new VideoFrame(data, WIDTH, HEIGHT, VideoBufferType.I420);
}

/**
 * Black I420 frames at 10 fps (the least video that makes RTP flow), or with `pattern` a moving gradient at 15 fps
 * (frames that differ, as a camera's do, so the encoder sends more than keyframes and skips).
 */
export function generatedVideo(name: string, { pattern = false } = {}): MediaPump {
  const source = new VideoSource(WIDTH, HEIGHT);
  const track = LocalVideoTrack.createVideoTrack(name, source);
  const black = pattern ? undefined : i420Frame(undefined);
  let t = 0;
  const feed = () => {
    try {
      source.captureFrame(black ?? i420Frame(t++));
    } catch {
      clearInterval(timer); // closed source
    }
  };
  // periodic feeding, not a wait: frames must keep coming for as long as the track is published
  const timer = setInterval(feed, pattern ? 1000 / 15 : 100);
  feed();
  return {
    track,
    async stop() {
      clearInterval(timer);
      await source.close().catch(() => undefined);
    },
  };
}
