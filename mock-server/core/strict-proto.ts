import { ScalarType, type FieldInfo, type Message, type MessageType } from '@bufbuild/protobuf';

/**
 * Go's proto.Unmarshal is stricter than @bufbuild/protobuf's fromBinary: it rejects a nested message whose
 * fields run past its length, truncated or overlong varints, field number 0, stray end-group tags, reserved
 * wire types and invalid UTF-8 in proto3 `string` fields. livekit-server closes a worker socket (and Twirp
 * answers `malformed`) on any of these, so the mock checks frames with the same rules before decoding.
 *
 * This is fromBinary after that check; it throws with Go's reason when the check fails. A known field sent with
 * the wrong wire type is an unknown field to Go (skipped) but a decode error to fromBinary, so such fields
 * are removed first. The check and the search for such fields are one pass (the dispatch profile showed
 * the checks at ~4% of the mock's CPU when they were two passes over BigInt varints).
 */
export function decodeStrict<T extends Message<T>>(type: MessageType<T>, bytes: Uint8Array): T {
  const c: Cursor = { pos: 0, mismatch: false };
  try {
    walk(type, bytes, c, bytes.length, 0, undefined, true);
  } catch (e) {
    if (e instanceof WireError) throw new Error(`proto: ${e.message}`, { cause: e });
    throw e;
  }
  return type.fromBinary(c.mismatch ? withoutMismatches(type, bytes, 0, bytes.length) : bytes);
}

/** Go's expected wire type for a field, or the packed form (2) of a repeated scalar or enum. No allocation: it runs per field. */
function wireOk(field: FieldInfo, wt: number): boolean {
  if (field.kind === 'message' || field.kind === 'map') return wt === 2;
  if (field.kind === 'enum') return wt === 0 || (wt === 2 && !!field.repeated);
  if (field.T === ScalarType.STRING || field.T === ScalarType.BYTES) return wt === 2;
  const want = FIXED64.has(field.T) ? 1 : FIXED32.has(field.T) ? 5 : 0;
  return wt === want || (wt === 2 && !!field.repeated);
}

/** Re-encodes a validated message without the known fields Go would treat as unknown (wrong wire type). */
function withoutMismatches(type: MessageType, buf: Uint8Array, start: number, end: number): Uint8Array {
  const parts: Uint8Array[] = [];
  forEachField(buf, start, end, (no, wt, s, e, fieldStart, tagEnd) => {
    const field = type.fields.find(no);
    if (field && !wireOk(field, wt)) return;
    if (field && wt === 2 && field.kind === 'message') {
      const inner = withoutMismatches(field.T, buf, s, e);
      parts.push(buf.subarray(fieldStart, tagEnd), encodeVarint(inner.length), inner);
      return;
    }
    parts.push(buf.subarray(fieldStart, wt === 2 ? e : s));
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function encodeVarint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/**
 * Visits the top-level fields of a validated message. For length-delimited fields (s, e) is the payload;
 * for others s is the end of the field. fieldStart is the tag's first byte, tagEnd the byte after the tag.
 */
function forEachField(buf: Uint8Array, start: number, end: number, visit: (no: number, wt: number, s: number, e: number, fieldStart: number, tagEnd: number) => void): void {
  const c: Cursor = { pos: start, mismatch: false };
  while (c.pos < end) {
    const fieldStart = c.pos;
    const tag = varint(buf, c, end);
    const no = Math.floor(tag / 8);
    const wt = tag % 8;
    const tagEnd = c.pos;
    if (wt === 2) {
      const len = varint(buf, c, end);
      const valueStart = c.pos;
      c.pos += len;
      visit(no, wt, valueStart, valueStart + len, fieldStart, tagEnd);
      continue;
    }
    if (wt === 0) varint(buf, c, end);
    else if (wt === 1) c.pos += 8;
    else if (wt === 5) c.pos += 4;
    else if (wt === 3) walk(undefined, buf, c, end, 0, no, false);
    visit(no, wt, c.pos, c.pos, fieldStart, tagEnd);
  }
}

class WireError extends Error {}
const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_DEPTH = 10_000; // Go's default RecursionLimit

interface Cursor {
  pos: number;
  /** a known field with the wrong wire type was seen (top level or inside nested messages) */
  mismatch: boolean;
}

/**
 * A varint as a number: exact below 2^53, which covers every valid tag and length; larger values only feed
 * "invalid field number" / "length past the end" comparisons, which stay true when rounded. (BigInt
 * arithmetic per byte was the checks' main cost.)
 */
function varint(buf: Uint8Array, c: Cursor, end: number): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= end) throw new WireError('cannot parse invalid wire-format data (truncated varint)');
    const b = buf[c.pos++]!;
    if (i === 9 && b > 1) throw new WireError('cannot parse invalid wire-format data (varint overflow)');
    result += (b & 0x7f) * scale;
    if (b < 0x80) return result;
    scale *= 128;
  }
  throw new WireError('cannot parse invalid wire-format data (varint overflow)');
}

function skip(buf: Uint8Array, c: Cursor, end: number, n: number): void {
  if (end - c.pos < n) throw new WireError('cannot parse invalid wire-format data (truncated field)');
  c.pos += n;
}

function checkUtf8(buf: Uint8Array, start: number, end: number, field: string): void {
  let i = start;
  while (i < end && buf[i]! < 0x80) i++;
  if (i === end) return; // ASCII, the common case, is valid UTF-8
  try {
    utf8.decode(buf.subarray(start, end));
  } catch {
    throw new WireError(`string field contains invalid UTF-8 (${field})`);
  }
}

const FIXED64 = new Set([ScalarType.DOUBLE, ScalarType.FIXED64, ScalarType.SFIXED64]);
const FIXED32 = new Set([ScalarType.FLOAT, ScalarType.FIXED32, ScalarType.SFIXED32]);

/** A packed repeated scalar must hold whole elements only. */
function checkPacked(buf: Uint8Array, c: Cursor, end: number, t: ScalarType | 'enum'): void {
  const width = t !== 'enum' && FIXED64.has(t) ? 8 : t !== 'enum' && FIXED32.has(t) ? 4 : 0;
  while (c.pos < end) {
    if (width) skip(buf, c, end, width);
    else varint(buf, c, end);
  }
}

/**
 * Checks [c.pos, end) as `type` (undefined: a group's or unknown content) and leaves c.pos at its end.
 * `track`: note known fields with the wrong wire type in c.mismatch (at the top level and inside message
 * fields, the places withoutMismatches rewrites; not inside map values or groups).
 */
function walk(type: MessageType | undefined, buf: Uint8Array, c: Cursor, end: number, depth: number, group: number | undefined, track: boolean): void {
  if (depth > MAX_DEPTH) throw new WireError('exceeded maximum recursion depth');
  while (c.pos < end) {
    const tag = varint(buf, c, end);
    const no = Math.floor(tag / 8);
    const wt = tag % 8;
    if (no === 0 || no > 536870911) throw new WireError('cannot parse invalid wire-format data (invalid field number)');
    const field: FieldInfo | undefined = type?.fields.find(no);
    if (track && field && !wireOk(field, wt)) c.mismatch = true;
    switch (wt) {
      case 0:
        varint(buf, c, end);
        break;
      case 1:
        skip(buf, c, end, 8);
        break;
      case 5:
        skip(buf, c, end, 4);
        break;
      case 2: {
        const len = varint(buf, c, end);
        if (len > end - c.pos) throw new WireError('cannot parse invalid wire-format data (length past the end)');
        const s = c.pos;
        const e = s + len;
        if (field && wireOk(field, 2)) {
          // a mismatched wire type makes it an unknown field to Go: not looked into
          if (field.kind === 'message') walk(field.T, buf, c, e, depth + 1, undefined, track);
          else if (field.kind === 'scalar' && field.T === ScalarType.STRING) checkUtf8(buf, s, e, field.name);
          else if (field.kind === 'scalar' && field.repeated && field.T !== ScalarType.BYTES) checkPacked(buf, c, e, field.T);
          else if (field.kind === 'enum' && field.repeated) checkPacked(buf, c, e, 'enum');
          else if (field.kind === 'map') walkMapEntry(field, buf, c, e, depth + 1);
        }
        c.pos = e;
        break;
      }
      case 3:
        walk(undefined, buf, c, end, depth + 1, no, false);
        break;
      case 4:
        if (group === no) return;
        throw new WireError('cannot parse invalid wire-format data (unexpected end group)');
      default:
        throw new WireError('cannot parse invalid wire-format data (reserved wire type)');
    }
  }
  if (group !== undefined) throw new WireError('cannot parse invalid wire-format data (unterminated group)');
}

function walkMapEntry(field: Extract<FieldInfo, { kind: 'map' }>, buf: Uint8Array, c: Cursor, end: number, depth: number): void {
  while (c.pos < end) {
    const tag = varint(buf, c, end);
    const no = Math.floor(tag / 8);
    const wt = tag % 8;
    if (no === 0) throw new WireError('cannot parse invalid wire-format data (invalid field number)');
    if (wt === 2) {
      const len = varint(buf, c, end);
      if (len > end - c.pos) throw new WireError('cannot parse invalid wire-format data (length past the end)');
      const s = c.pos;
      const e = s + len;
      if (no === 1 && field.K === ScalarType.STRING) checkUtf8(buf, s, e, `${field.name} key`);
      if (no === 2 && field.V.kind === 'scalar' && field.V.T === ScalarType.STRING) checkUtf8(buf, s, e, `${field.name} value`);
      if (no === 2 && field.V.kind === 'message') walk(field.V.T, buf, c, e, depth + 1, undefined, false);
      c.pos = e;
    } else if (wt === 0) varint(buf, c, end);
    else if (wt === 1) skip(buf, c, end, 8);
    else if (wt === 5) skip(buf, c, end, 4);
    else if (wt === 3) walk(undefined, buf, c, end, depth + 1, no, false);
    else throw new WireError('cannot parse invalid wire-format data (reserved wire type)');
  }
}
