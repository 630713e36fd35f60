import { describe, expect, it } from 'vitest';
import { NackQueue } from './nack-queue.ts';
import { genericNack } from './rtp-packet.ts';

describe('NackQueue (livekit-server receive buffer NACKs)', () => {
  it('asks for a gap once it has been missing 20 ms, backs off, and stops after 5 tries', () => {
    const q = new NackQueue();
    expect(q.received(100, 0)).toEqual([]);
    expect(q.received(103, 5)).toEqual([]); // 101 and 102 missing, too recent
    expect(q.received(104, 25)).toEqual([101, 102]);
    expect(q.received(105, 50)).toEqual([]); // the second try waits the 70 ms rtt
    expect(q.received(106, 95)).toEqual([101, 102]);
    const asked = [];
    for (let t = 100, seq = 107; t < 3_000; t += 10, seq++) asked.push(...q.received(seq, t));
    expect(asked.filter((s) => s === 101)).toHaveLength(3); // 5 in all
    expect(q.size).toBe(0);
  });

  it('a retransmitted or reordered packet leaves the queue; a duplicate changes nothing', () => {
    const q = new NackQueue();
    q.received(65_534, 0);
    q.received(1, 1); // across the wrap: 65535 and 0 missing
    expect(q.size).toBe(2);
    q.received(0, 2);
    q.received(1, 3);
    expect(q.received(2, 30)).toEqual([65_535]);
  });

  it('keeps the newest 100 of a long gap', () => {
    const q = new NackQueue();
    q.received(0, 0);
    q.received(1_000, 1);
    expect(q.size).toBe(100);
    expect(q.received(1_001, 30)[0]).toBe(900);
  });
});

describe('genericNack (RFC 4585 generic NACK)', () => {
  it('packs runs of up to 17 sequence numbers into one packet id and bitmask each', () => {
    const nack = genericNack(0xaabbccdd, [10, 11, 13, 26, 27, 65_535, 0]);
    expect(nack[0]).toBe(0x81);
    expect(nack[1]).toBe(205);
    expect(nack.readUInt16BE(2)).toBe(2 + 3); // length in words minus one
    expect(nack.readUInt32BE(8)).toBe(0xaabbccdd);
    const fci = [0, 1, 2].map((i) => [nack.readUInt16BE(12 + 4 * i), nack.readUInt16BE(14 + 4 * i)]);
    expect(fci).toEqual([
      [10, 0b1000_0000_0000_0101], // 11, 13 and 26 (10 + 16)
      [27, 0],
      [65_535, 0b1], // 0, across the wrap
    ]);
  });
});
