import { TrackInfo, type AddTrackRequest } from '@livekit/protocol';

/** The TrackInfo the server announces for an AddTrackRequest (participant.go addPendingTrackLocked, minus codecs/SFU state). */
export function trackInfoFor(req: AddTrackRequest, sid: string): TrackInfo {
  return new TrackInfo({
    sid,
    type: req.type,
    name: req.name,
    muted: req.muted,
    width: req.width,
    height: req.height,
    simulcast: req.layers.length > 1 || req.simulcastCodecs.length > 0,
    disableDtx: req.disableDtx,
    source: req.source,
    layers: req.layers,
    stereo: req.stereo,
    disableRed: req.disableRed,
    encryption: req.encryption,
    stream: req.stream,
    audioFeatures: req.audioFeatures,
    backupCodecPolicy: req.backupCodecPolicy,
  });
}
