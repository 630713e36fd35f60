// A microphone track playing a 440 Hz tone, for the drivers whose receivers count frames with energy.
import { AudioFrame, AudioSource, LocalAudioTrack, TrackPublishOptions, TrackSource, type LocalParticipant, type LocalTrackPublication } from '@livekit/rtc-node';

const RATE = 48_000;
const SAMPLES = 480; // 10 ms

export interface PlayingSine {
  publication: LocalTrackPublication;
  /** Stops the tone once the frame being captured is done. */
  stop(): Promise<void>;
}

export async function publishSine(participant: LocalParticipant): Promise<PlayingSine> {
  const source = new AudioSource(RATE, 1);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  const publication = await participant.publishTrack(LocalAudioTrack.createAudioTrack('mic', source), options);
  let playing = true;
  let phase = 0;
  const pump = (async () => {
    while (playing) {
      const data = new Int16Array(SAMPLES);
      for (let i = 0; i < SAMPLES; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / RATE));
      await source.captureFrame(new AudioFrame(data, RATE, 1, SAMPLES));
    }
  })();
  return {
    publication,
    async stop() {
      playing = false;
      await pump;
    },
  };
}
