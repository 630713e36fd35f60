import { SignalRequest, SignalResponse } from '@livekit/protocol';

export type SignalResponseMessage = SignalResponse['message'];

/**
 * WSSignalConnection's framing: binary protobuf, or protojson in text frames. The server answers in the
 * format the client last used. An undecodable frame yields undefined and is skipped, never fatal.
 */
export function decodeSignalRequest(data: Buffer, isBinary: boolean): SignalRequest | undefined {
  try {
    return isBinary ? SignalRequest.fromBinary(data) : SignalRequest.fromJsonString(data.toString('utf8'), { ignoreUnknownFields: true });
  } catch {
    return undefined;
  }
}

export function encodeSignalResponse(message: SignalResponseMessage, json: boolean): Buffer | string {
  const res = new SignalResponse({ message });
  return json ? res.toJsonString() : Buffer.from(res.toBinary());
}
