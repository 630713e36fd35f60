import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { MuteFiller } from './mute-filler.ts';
import { rtpSsrc } from './rtp-packet.ts';

describe('MuteFiller (what a Go client gets on a silent down track), on the ManualClock', () => {
  it('waits 100 ms, then sends one Opus silence frame every 20 ms for at most 5 s', async () => {
    const clock = new ManualClock();
    const sent: Buffer[] = [];
    new MuteFiller(clock, 'audio', (p) => sent.push(p), 0x1234, 111).start();
    await clock.advance(99);
    expect(sent).toHaveLength(0);
    await clock.advance(1);
    expect(sent).toHaveLength(1);
    expect([sent[0]![0], sent[0]![1]! & 0x7f, rtpSsrc(sent[0]!), sent[0]![12]]).toEqual([0x80, 111, 0x1234, 0xf8]);
    await clock.advance(10_000);
    expect(sent).toHaveLength(250);
    const seq = sent.map((p) => p.readUInt16BE(2));
    expect(seq.every((s, i) => i === 0 || s === ((seq[i - 1]! + 1) & 0xffff))).toBe(true);
  });

  it('sends padding-only video packets every 100 ms, and nothing once stopped (the publisher’s media flows)', async () => {
    const clock = new ManualClock();
    const sent: Buffer[] = [];
    const filler = new MuteFiller(clock, 'video', (p) => sent.push(p), 7, 96);
    filler.start();
    await clock.advance(300);
    expect(sent).toHaveLength(3);
    expect([sent[0]![0]! & 0x20, sent[0]!.at(-1)]).toEqual([0x20, 255]); // the padding bit, the padding count
    filler.stop();
    await clock.advance(1_000);
    expect(sent).toHaveLength(3);
  });
});
