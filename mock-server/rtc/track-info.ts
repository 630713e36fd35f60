import {
  AudioTrackFeature,
  BackupCodecPolicy,
  SimulcastCodecInfo,
  TimedVersion,
  TrackInfo,
  TrackSource,
  TrackType,
  VideoLayer_Mode,
  protoInt64,
  type AddTrackRequest,
} from '@livekit/protocol';

/** participant.go setTrackID: TR_ + A/V (type) + C/M/S/s (source) + guid. `sid` is a fresh `TR_` + 12 characters. */
export function trackSidFor(req: Pick<AddTrackRequest, 'type' | 'source'>, sid: string): string {
  const type = req.type === TrackType.VIDEO ? 'V' : req.type === TrackType.AUDIO ? 'A' : '';
  const source = { [TrackSource.CAMERA]: 'C', [TrackSource.MICROPHONE]: 'M', [TrackSource.SCREEN_SHARE]: 'S', [TrackSource.SCREEN_SHARE_AUDIO]: 's' }[req.source as number] ?? '';
  return `TR_${type}${source}${sid.slice(3)}`;
}

/** utils.go StreamFromTrackSource: what `stream` defaults to. */
const streamOf = (source: TrackSource): string => (source === TrackSource.SCREEN_SHARE || source === TrackSource.SCREEN_SHARE_AUDIO ? 'screen' : 'camera');

/** The normalised mime type of a simulcast codec name ("vp8" → "video/VP8"), as mime.NormalizeMimeType. */
function mimeOf(kind: TrackType, codec: string): string {
  if (!codec || codec.includes('/')) return codec;
  const name = { opus: 'opus', red: 'red', vp8: 'VP8', vp9: 'VP9', h264: 'H264', h265: 'H265', av1: 'AV1' }[codec.toLowerCase()] ?? codec;
  return `${kind === TrackType.AUDIO ? 'audio' : 'video'}/${name}`;
}

/** Codecs that carry several spatial layers in one stream (mime.IsMimeTypeStringSVCCapable). */
const SVC_CODECS = new Set(['video/VP9', 'video/AV1']);

/**
 * One entry per distinct announced codec (participant.go addPendingTrackLocked): its layers (its own, else the
 * request's) and, for video, layer mode (the client's, else several spatial layers per stream for an SVC codec).
 */
function simulcastCodecsOf(req: AddTrackRequest, layers: AddTrackRequest['layers']): SimulcastCodecInfo[] {
  const seen = new Set<string>();
  const out: SimulcastCodecInfo[] = [];
  for (const c of req.simulcastCodecs) {
    const mimeType = mimeOf(req.type, c.codec);
    if (!mimeType || seen.has(mimeType)) continue;
    seen.add(mimeType);
    let videoLayerMode = c.videoLayerMode;
    if (req.type === TrackType.VIDEO && videoLayerMode === VideoLayer_Mode.MODE_UNUSED) {
      videoLayerMode = SVC_CODECS.has(mimeType) ? VideoLayer_Mode.MULTIPLE_SPATIAL_LAYERS_PER_STREAM : VideoLayer_Mode.ONE_SPATIAL_LAYER_PER_STREAM;
    }
    const own = c.layers.length ? [...c.layers].sort((a, b) => a.quality - b.quality) : layers;
    out.push(new SimulcastCodecInfo({ mimeType, cid: c.cid, layers: own, videoLayerMode }));
  }
  return out;
}

/**
 * The TrackInfo the server announces for an AddTrackRequest (participant.go addPendingTrackLocked): the sid
 * prefix, stream, audio features from the flags, backup codec policy, and one codec entry per codec.
 * mime type, mid and version come later, from the SDP (withNegotiatedMedia).
 */
export function trackInfoFor(req: AddTrackRequest, sid: string): TrackInfo {
  const audioFeatures = [...req.audioFeatures];
  if (req.stereo && !audioFeatures.includes(AudioTrackFeature.TF_STEREO)) audioFeatures.push(AudioTrackFeature.TF_STEREO);
  if (req.disableDtx && !audioFeatures.includes(AudioTrackFeature.TF_NO_DTX)) audioFeatures.push(AudioTrackFeature.TF_NO_DTX);
  const layers = [...req.layers].sort((a, b) => a.quality - b.quality);
  const codecs = req.simulcastCodecs.length ? simulcastCodecsOf(req, layers) : [new SimulcastCodecInfo({ cid: req.cid, layers, videoLayerMode: VideoLayer_Mode.ONE_SPATIAL_LAYER_PER_STREAM })];
  const primary = codecs[0];
  const backupCodecPolicy =
    req.type === TrackType.AUDIO && req.backupCodecPolicy !== BackupCodecPolicy.REGRESSION ? BackupCodecPolicy.SIMULCAST : req.backupCodecPolicy;
  return new TrackInfo({
    sid: trackSidFor(req, sid),
    type: req.type,
    name: req.name,
    muted: req.muted,
    width: req.width,
    height: req.height,
    // true when the primary codec is not SVC and has several layers, for clients that read only this flag
    simulcast: !!primary && primary.videoLayerMode !== VideoLayer_Mode.MULTIPLE_SPATIAL_LAYERS_PER_STREAM && primary.layers.length > 1,
    disableDtx: req.disableDtx,
    source: req.source,
    layers,
    stereo: req.stereo,
    disableRed: req.disableRed,
    encryption: req.encryption,
    stream: req.stream || streamOf(req.source),
    audioFeatures,
    backupCodecPolicy,
    codecs,
    packetTrailerFeatures: req.packetTrailerFeatures,
  });
}

/** mediaTrackReceived + MediaTrackReceiver: what the server adds once the publisher's SDP carries the track. */
export function withNegotiatedMedia(track: TrackInfo, mid: string, mimeType: string, nowMs: number): void {
  track.mid = mid;
  track.mimeType = mimeType;
  const primary = track.codecs[0];
  if (primary) {
    primary.mimeType = mimeType;
    primary.mid = mid;
  }
  track.version = new TimedVersion({ unixMicro: protoInt64.parse(nowMs * 1000), ticks: 0 });
}
