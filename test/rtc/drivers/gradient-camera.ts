// A camera track of generated frames (a moving gradient, so the encoder sends more than keyframes), for the drivers
// whose receivers count decoded video frames.
import {
  LocalVideoTrack,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoCodec,
  VideoFrame,
  VideoSource,
  type LocalParticipant,
  type LocalTrackPublication,
} from '@livekit/rtc-node';

export interface GradientCamera {
  publication: LocalTrackPublication;
  /** Stops the frames once the one being captured is done. */
  stop(): Promise<void>;
}

export async function publishGradientCamera(
  participant: LocalParticipant,
  { width, height, codec, simulcast }: { width: number; height: number; codec: 'vp8' | 'h264'; simulcast: boolean },
): Promise<GradientCamera> {
  const source = new VideoSource(width, height);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_CAMERA;
  options.simulcast = simulcast;
  options.videoCodec = codec === 'h264' ? VideoCodec.H264 : VideoCodec.VP8;
  const publication = await participant.publishTrack(LocalVideoTrack.createVideoTrack('cam', source), options);
  let running = true;
  const pump = (async () => {
    const rgba = new Uint8Array(width * height * 4);
    for (let n = 0; running; n++) {
      for (let i = 0; i < rgba.length; i += 4) rgba[i] = rgba[i + 1] = (i / 4 + n * 7) % 256;
      source.captureFrame(new VideoFrame(rgba, width, height, VideoBufferType.RGBA));
      await new Promise((r) => setTimeout(r, 33)); // ~30 fps
    }
  })();
  return {
    publication,
    async stop() {
      running = false;
      await pump;
    },
  };
}
