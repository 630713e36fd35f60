import type { Message, MessageType } from '@bufbuild/protobuf';
import { TwirpError } from '../core/errors.ts';

export type TwirpEncoding = 'json' | 'protobuf';

/** Twirp's content-type switch: the media type before any `;`, case-insensitive; anything else is bad_route. */
export function requestEncoding(contentType: string | undefined, method: string, path: string): TwirpEncoding {
  const header = contentType ?? '';
  const media = header.split(';')[0].trim().toLowerCase();
  if (media === 'application/json') return 'json';
  if (media === 'application/protobuf') return 'protobuf';
  throw badRoute(`unexpected Content-Type: ${JSON.stringify(header)}`, method, path);
}

export function badRoute(msg: string, method: string, path: string): TwirpError {
  return new TwirpError('bad_route', msg, { twirp_invalid_route: `${method} ${path}` });
}

/** protojson with DiscardUnknown: both snake_case and lowerCamelCase names are accepted. */
export function decodeRequest<T extends Message<T>>(type: MessageType<T>, body: Buffer, encoding: TwirpEncoding): T {
  if (encoding === 'protobuf') {
    try {
      return type.fromBinary(body);
    } catch (e) {
      throw new TwirpError('malformed', 'the protobuf request could not be decoded', { cause: String((e as Error).message) });
    }
  }
  try {
    return type.fromJson(JSON.parse(body.toString('utf8') || 'null') ?? {}, { ignoreUnknownFields: true });
  } catch (e) {
    throw new TwirpError('malformed', 'the json request could not be decoded', { cause: String((e as Error).message) });
  }
}

/** Responses use proto field names and emit unpopulated fields, as livekit's twirp server does. */
export function encodeResponse(message: Message, encoding: TwirpEncoding): { body: Buffer; contentType: string } {
  if (encoding === 'protobuf') return { body: Buffer.from(message.toBinary()), contentType: 'application/protobuf' };
  const json = message.toJson({ useProtoFieldName: true, emitDefaultValues: true });
  return { body: Buffer.from(JSON.stringify(json)), contentType: 'application/json' };
}
