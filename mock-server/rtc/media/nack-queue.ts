/**
 * What a publisher's stream is missing, asked again as livekit-server's receive buffer asks (mediatransportutil
 * pkg/nack/nack.go, run on each arriving packet, buffer.go calc): the sequence numbers a gap skips are queued (the
 * newest 100), each NACKed once it has been missing 20 ms (time for reordering), again after rtt·1.25^(tries−1)
 * (70 ms rtt, the default; 20–400 ms), at most 5 times; one that arrives leaves the queue.
 */
const MAX_NACKS = 100;
const MAX_TRIES = 5;
const MIN_INTERVAL_MS = 20;
const MAX_INTERVAL_MS = 400;
const RTT_MS = 70;
const BACKOFF = 1.25;

interface Missing {
  seq: number;
  lastMs: number;
  tries: number;
}

export class NackQueue {
  #highest?: number;
  #missing: Missing[] = [];

  /** A packet arrived: the sequence numbers to NACK now. */
  received(seq: number, nowMs: number): number[] {
    if (this.#highest === undefined) this.#highest = seq;
    const ahead = (seq - this.#highest) & 0xffff;
    if (ahead === 0 || ahead >= 0x8000) {
      // a duplicate, or a late (retransmitted or reordered) packet
      this.#missing = this.#missing.filter((m) => m.seq !== seq);
    } else {
      for (let lost = Math.max(1, ahead - MAX_NACKS); lost < ahead; lost++) this.#missing.push({ seq: (this.#highest + lost) & 0xffff, lastMs: nowMs, tries: 0 });
      if (this.#missing.length > MAX_NACKS) this.#missing.splice(0, this.#missing.length - MAX_NACKS);
      this.#highest = seq;
    }
    return this.#due(nowMs);
  }

  get size(): number {
    return this.#missing.length;
  }

  /** The newest sequence number seen (late packets do not move it): what a receiver report says. */
  get highest(): number | undefined {
    return this.#highest;
  }

  #due(nowMs: number): number[] {
    if (!this.#missing.length) return [];
    const out: number[] = [];
    this.#missing = this.#missing.filter((m) => {
      if (m.tries >= MAX_TRIES) return false;
      const backoff = m.tries > 0 ? Math.min(MAX_INTERVAL_MS, RTT_MS * BACKOFF ** (m.tries - 1)) : 0;
      if (nowMs - m.lastMs < Math.max(MIN_INTERVAL_MS, backoff)) return true;
      m.tries++;
      m.lastMs = nowMs;
      out.push(m.seq);
      return true;
    });
    return out;
  }
}

