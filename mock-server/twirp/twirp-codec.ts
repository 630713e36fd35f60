import type { Message, MessageType } from '@bufbuild/protobuf';
import { TwirpError } from '../core/errors.ts';
import { decodeStrict } from '../core/strict-proto.ts';

export type TwirpEncoding = 'json' | 'protobuf';

/** Twirp's content-type switch: the media type before any `;`, case-insensitive; anything else is bad_route. */
export function requestEncoding(contentType: string | undefined, method: string, path: string): TwirpEncoding {
  const header = contentType ?? '';
  const media = (header.split(';')[0] ?? '').trim().toLowerCase();
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
      return decodeStrict(type, body);
    } catch (e) {
      // twirp.WrapError(malformedRequestError(msg), err): the wire error has no meta (the cause stays server-side)
      void e;
      throw new TwirpError('malformed', 'the protobuf request could not be decoded');
    }
  }
  try {
    const value = JSON.parse(firstJsonValue(body)) as unknown;
    // protojson wants an object at the top level ("unexpected token null" otherwise)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`unexpected token ${JSON.stringify(value)}`);
    return type.fromJson(value as never, { ignoreUnknownFields: true });
  } catch (e) {
    void e;
    throw new TwirpError('malformed', 'the json request could not be decoded');
  }
}

/**
 * Responses use proto field names and emit unpopulated fields, as livekit's twirp server does (protojson
 * EmitUnpopulated): an unset singular message field is `null` there, where protobuf-es leaves it out.
 */
export function encodeResponse(message: Message, encoding: TwirpEncoding): { body: Buffer; contentType: string } {
  if (encoding === 'protobuf') return { body: Buffer.from(message.toBinary()), contentType: 'application/protobuf' };
  const json = message.toJson({ useProtoFieldName: true, emitDefaultValues: true });
  return { body: Buffer.from(JSON.stringify(withUnsetMessagesAsNull(message, json))), contentType: 'application/json' };
}

function withUnsetMessagesAsNull(message: Message, json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const out = json as Record<string, unknown>;
  const msg = message as unknown as Record<string, unknown>;
  for (const field of message.getType().fields.list()) {
    // proto3 `optional` fields (opt) live in synthetic oneofs: protojson leaves them out when unset, like oneof members
    if (field.kind !== 'message' || field.oneof || field.opt) continue;
    const value = msg[field.localName];
    if (field.repeated) {
      if (Array.isArray(value) && Array.isArray(out[field.name])) (out[field.name] as unknown[]).forEach((v, i) => withUnsetMessagesAsNull(value[i] as Message, v));
      continue;
    }
    // well-known types (Duration, Timestamp, wrappers) have their own JSON forms; only plain messages recurse
    if (value === undefined) out[field.name] = null;
    else if (typeof out[field.name] === 'object' && out[field.name] !== null && !Array.isArray(out[field.name])) withUnsetMessagesAsNull(value as Message, out[field.name]);
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Twirp's Go server reads the body with json.Decoder into a RawMessage: only the first JSON value counts
 * (anything after it is ignored), an empty body is EOF, and protojson then rejects invalid UTF-8.
 */
export function firstJsonValue(body: Buffer): string {
  const text = strictUtf8.decode(body);
  let i = 0;
  while (i < text.length && ' \t\r\n'.includes(text.charAt(i))) i++;
  if (i === text.length) throw new Error('EOF');
  const start = i;
  const open = text[i];
  if (open !== '{' && open !== '[' && open !== '"') {
    while (i < text.length && !' \t\r\n,:]}{["'.includes(text.charAt(i))) i++;
    return text.slice(start, i);
  }
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') {
        inString = false;
        if (depth === 0) return text.slice(start, i + 1);
      }
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  throw new Error('unexpected EOF');
}
