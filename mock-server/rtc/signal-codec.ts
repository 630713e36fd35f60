import { SignalRequest, SignalResponse } from '@livekit/protocol';
import { decodeStrict } from '../core/strict-proto.ts';

export type SignalResponseMessage = SignalResponse['message'];

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * WSSignalConnection's framing: binary protobuf, or protojson in text frames. The server answers in the
 * format the client last used. Decoding follows Go's rules (proto.Unmarshal's strictness; gorilla passes
 * invalid UTF-8 text frames on and protojson fails on them). An undecodable frame yields undefined; the
 * caller ends the socket as rtcservice.go's read loop does.
 */
export function decodeSignalRequest(data: Buffer, isBinary: boolean): SignalRequest | undefined {
  try {
    return isBinary ? decodeStrict(SignalRequest, data) : SignalRequest.fromJson(JSON.parse(strictUtf8.decode(data)), { ignoreUnknownFields: true });
  } catch {
    return undefined;
  }
}

export function encodeSignalResponse(message: SignalResponseMessage, json: boolean): Buffer | string {
  const res = new SignalResponse({ message });
  return json ? res.toJsonString() : Buffer.from(res.toBinary());
}
