import { Codec } from '@livekit/protocol';

/**
 * config.go's default room.enabled_codecs, which `livekit-server --dev` keeps: every new room lists them
 * (roomallocator.go applyDefaultRoomConfig), in this order, mime only.
 */
const DEFAULT_ENABLED_CODEC_MIMES: readonly string[] = Object.freeze([
  'audio/PCMU',
  'audio/PCMA',
  'audio/opus',
  'audio/red',
  'video/VP8',
  'video/H264',
  'video/VP9',
  'video/AV1',
  'video/H265',
  'video/rtx',
]);

/** Shared by every room's Room proto, which is read-only once built (RoomSnapshot freezes it). */
export const DEFAULT_ENABLED_CODECS: readonly Codec[] = Object.freeze(
  DEFAULT_ENABLED_CODEC_MIMES.map((mime) => Object.freeze(new Codec({ mime })) as Codec),
);
