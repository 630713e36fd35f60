import { gunzipSync } from 'node:zlib';
import { JoinRequest, WrappedJoinRequest, WrappedJoinRequest_Compression } from '@livekit/protocol';
import { decodeStrict } from '../core/strict-proto.ts';
import { decodeGoBase64Url } from './go-base64.ts';
import { RtcJoinError } from './rtc-errors.ts';

/** Go's http.DefaultMaxHeaderBytes: the cap on an uncompressed join request. */
const MAX_JOIN_REQUEST_BYTES = 1 << 20;

const invalid = (msg: string) => new RtcJoinError('rtc_join_request_invalid', 400, msg);

/** The v1 `join_request` query parameter: base64url(WrappedJoinRequest{compression, gzip?(JoinRequest)}). */
export function decodeJoinRequest(param: string): JoinRequest {
  // Go's base64.URLEncoding: padding required (an unpadded value is refused, found by /rtc fuzzing against v1.13.5)
  const raw = decodeGoBase64Url(param);
  if (!raw) throw invalid('cannot base64 decode wrapped join request');
  let wrapped: WrappedJoinRequest;
  try {
    // Go's proto.Unmarshal rules (UTF-8 in strings, nested lengths), not the lenient fromBinary alone
    wrapped = decodeStrict(WrappedJoinRequest, raw);
  } catch {
    throw invalid('cannot unmarshal wrapped join request');
  }
  let bytes: Uint8Array;
  switch (wrapped.compression) {
    case WrappedJoinRequest_Compression.NONE:
      if (wrapped.joinRequest.length > MAX_JOIN_REQUEST_BYTES) throw invalid('join request too large');
      bytes = wrapped.joinRequest;
      break;
    case WrappedJoinRequest_Compression.GZIP:
      try {
        bytes = gunzipSync(wrapped.joinRequest, { maxOutputLength: MAX_JOIN_REQUEST_BYTES });
      } catch (e) {
        const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        throw invalid(tooLarge ? 'join request too large' : 'cannot read decompressed join request');
      }
      break;
    default:
      // rtcservice.go switches on the two known values only: any other compression leaves the request empty
      return new JoinRequest();
  }
  try {
    return decodeStrict(JoinRequest, bytes);
  } catch {
    throw invalid('cannot unmarshal join request');
  }
}
