import { Codec } from '@livekit/protocol';

/**
 * config.go's default room.enabled_codecs, which `livekit-server --dev` keeps: every new room lists them
 * (roomallocator.go applyDefaultRoomConfig), in this order, mime only.
 */
export const DEFAULT_ENABLED_CODEC_MIMES: readonly string[] = Object.freeze([
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

export const defaultEnabledCodecs = (): Codec[] => DEFAULT_ENABLED_CODEC_MIMES.map((mime) => new Codec({ mime }));
