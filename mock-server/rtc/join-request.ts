import { gunzipSync } from 'node:zlib';
import { JoinRequest, WrappedJoinRequest, WrappedJoinRequest_Compression } from '@livekit/protocol';
import { RtcJoinError } from './rtc-errors.ts';

/** Go's http.DefaultMaxHeaderBytes: the cap on an uncompressed join request. */
const MAX_JOIN_REQUEST_BYTES = 1 << 20;

const invalid = (msg: string) => new RtcJoinError('rtc_join_request_invalid', 400, msg);

/** The v1 `join_request` query parameter: base64url(WrappedJoinRequest{compression, gzip?(JoinRequest)}). */
export function decodeJoinRequest(param: string): JoinRequest {
  // Go's base64.URLEncoding wants padding; the Rust SDK sends it. Be lenient about missing '='.
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(param)) throw invalid('cannot base64 decode wrapped join request');
  let wrapped: WrappedJoinRequest;
  try {
    wrapped = WrappedJoinRequest.fromBinary(Buffer.from(param, 'base64url'));
  } catch {
    throw invalid('cannot unmarshal wrapped join request');
  }
  let bytes: Uint8Array = wrapped.joinRequest;
  if (wrapped.compression === WrappedJoinRequest_Compression.GZIP) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_JOIN_REQUEST_BYTES });
    } catch (e) {
      const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw invalid(tooLarge ? 'join request too large' : 'cannot read decompressed join request');
    }
  } else if (bytes.length > MAX_JOIN_REQUEST_BYTES) {
    throw invalid('join request too large');
  }
  try {
    return JoinRequest.fromBinary(bytes);
  } catch {
    throw invalid('cannot unmarshal join request');
  }
}
