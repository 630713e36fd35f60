import { AddTrackRequest, SimulcastCodec, TrackType, VideoLayer, VideoLayer_Mode, VideoQuality } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { trackInfoFor } from './track-info.ts';

const layers = [VideoQuality.HIGH, VideoQuality.LOW, VideoQuality.MEDIUM].map((quality) => new VideoLayer({ quality, width: 320 << quality, height: 180 << quality }));
const camera = (codecs: SimulcastCodec[]) => trackInfoFor(new AddTrackRequest({ cid: 'cam', type: TrackType.VIDEO, layers, simulcastCodecs: codecs }), 'TR_abcdefghijkl');

describe('trackInfoFor: the codecs and layer mode livekit-server announces (participant.go addPendingTrackLocked)', () => {
  it('an SVC codec carries several spatial layers in one stream, and the track is not simulcast', () => {
    const t = camera([new SimulcastCodec({ codec: 'vp9', cid: 'cam' })]);
    expect(t.codecs.map((c) => [c.mimeType, c.videoLayerMode])).toEqual([['video/VP9', VideoLayer_Mode.MULTIPLE_SPATIAL_LAYERS_PER_STREAM]]);
    expect(t.codecs[0]!.layers.map((l) => l.quality)).toEqual([VideoQuality.LOW, VideoQuality.MEDIUM, VideoQuality.HIGH]);
    expect(t.simulcast).toBe(false);
  });

  it('VP8 with three layers is simulcast; a repeated codec is announced once; a codec keeps its own layers; a backup codec follows', () => {
    const t = camera([
      new SimulcastCodec({ codec: 'vp8', cid: 'cam' }),
      new SimulcastCodec({ codec: 'VP8', cid: 'again' }),
      new SimulcastCodec({ codec: 'av1', cid: 'backup', layers: [layers[1]!] }),
    ]);
    expect(t.codecs.map((c) => [c.mimeType, c.cid, c.videoLayerMode, c.layers.length])).toEqual([
      ['video/VP8', 'cam', VideoLayer_Mode.ONE_SPATIAL_LAYER_PER_STREAM, 3],
      ['video/AV1', 'backup', VideoLayer_Mode.MULTIPLE_SPATIAL_LAYERS_PER_STREAM, 1],
    ]);
    expect(t.simulcast).toBe(true);
  });

  it("the client's layer mode wins", () => {
    const t = camera([new SimulcastCodec({ codec: 'vp9', cid: 'cam', videoLayerMode: VideoLayer_Mode.ONE_SPATIAL_LAYER_PER_STREAM })]);
    expect(t.codecs[0]!.videoLayerMode).toBe(VideoLayer_Mode.ONE_SPATIAL_LAYER_PER_STREAM);
    expect(t.simulcast).toBe(true);
  });
});
