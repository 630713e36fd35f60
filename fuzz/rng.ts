import { seededRandom } from '../mock-server/core/random.ts';

/** A small seeded generator for fuzz inputs: the same seed gives the same inputs, so every failure replays. */
export class Rng {
  readonly #r;
  constructor(readonly seed: number) {
    this.#r = seededRandom(seed);
  }
  next(): number {
    return this.#r.next();
  }
  int(maxExclusive: number): number {
    return Math.floor(this.#r.next() * maxExclusive);
  }
  range(min: number, maxInclusive: number): number {
    return min + this.int(maxInclusive - min + 1);
  }
  chance(p: number): boolean {
    return this.#r.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  /** Mostly ASCII, sometimes multi-byte or control characters. */
  text(maxLen: number): string {
    const n = this.int(maxLen + 1);
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = this.next();
      s += r < 0.8 ? String.fromCharCode(0x61 + this.int(26)) : r < 0.9 ? this.pick(['_', ' ', '-', '.', '/', '\u00e9', '\u4e2d', '\u{1F600}']) : String.fromCharCode(this.int(32));
    }
    return s;
  }
}

/** Per-input seeds derived from a run seed, so one input can be replayed alone: `seed:index`. */
export function inputSeed(runSeed: number, index: number): number {
  return (Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}
