import type { Rng } from './rng.ts';

/** Protobuf varint bytes of a non-negative 32-bit number. */
export function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** A length-delimited field numbered from `fieldNos` (numbers the target message does not define). */
export function unknownField(rng: Rng, fieldNos: readonly number[]): Buffer {
  const fieldNo = rng.pick(fieldNos);
  const payload = rng.bytes(rng.int(20));
  return Buffer.from([...varint(((fieldNo << 3) | 2) >>> 0), ...varint(payload.length), ...payload]);
}

/** Up to `max` single-byte edits: bit flip, overwrite, insert, delete. */
export function mutate(rng: Rng, input: Uint8Array, max = 4): Buffer {
  const b = [...input];
  const n = rng.range(1, max);
  for (let i = 0; i < n; i++) {
    const at = rng.int(Math.max(1, b.length));
    switch (rng.int(4)) {
      case 0:
        if (b.length) b[at] ^= 1 << rng.int(8);
        break;
      case 1:
        if (b.length) b[at] = rng.int(256);
        break;
      case 2:
        b.splice(at, 0, rng.int(256));
        break;
      default:
        b.splice(at, 1);
    }
  }
  return Buffer.from(b);
}
