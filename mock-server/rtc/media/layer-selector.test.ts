import { describe, expect, it } from 'vitest';
import { LayerSelector, type SimulcastLayer } from './layer-selector.ts';
import { rewriteRtp } from './rtp-packet.ts';

/** A VP8 RTP packet: a payload descriptor with a 15-bit picture id, then the VP8 header's P bit (0 = keyframe). */
function vp8(ssrc: number, seq: number, ts: number, pictureId: number, key: boolean): Buffer {
  const p = Buffer.alloc(12 + 5);
  p[0] = 0x80;
  p[1] = 96;
  p.writeUInt16BE(seq, 2);
  p.writeUInt32BE(ts, 4);
  p.writeUInt32BE(ssrc, 8);
  p[12] = 0x90; // X, S, partition 0
  p[13] = 0x80; // I: picture id present
  p.writeUInt16BE(0x8000 | pictureId, 14);
  p[16] = key ? 0x00 : 0x01;
  return p;
}

const layers = (now: number): Map<number, SimulcastLayer> =>
  new Map([
    [10, { ssrc: 10, rid: 'q', spatial: 0, lastPacketAt: now }],
    [20, { ssrc: 20, rid: 'h', spatial: 1, lastPacketAt: now }],
    [30, { ssrc: 30, rid: 'f', spatial: 2, lastPacketAt: now }],
  ]);

describe('LayerSelector: one simulcast layer per subscriber, switched at keyframes', () => {
  it('forwards nothing until the top layer sends a keyframe, asking for it on that SSRC, then only that layer', () => {
    const asked: number[] = [];
    const sel = new LayerSelector('VP8', (ssrc) => asked.push(ssrc));
    const l = layers(0);
    expect(sel.take(vp8(30, 100, 9000, 5, false), l, 0)).toBeUndefined();
    expect(sel.take(vp8(10, 500, 1000, 7, true), l, 1)).toBeUndefined(); // a keyframe, but not of the target
    expect(asked).toEqual([30]);
    expect(sel.take(vp8(30, 101, 12000, 6, true), l, 2)).toEqual({ seq: 101, ts: 12000 });
    expect(sel.take(vp8(20, 300, 5000, 9, true), l, 3)).toBeUndefined();
    expect(sel.currentRid(l)).toBe('f');
  });

  it('a lower cap switches at the next keyframe of that layer, with sequence numbers, timestamps and picture ids continuing', () => {
    const sel = new LayerSelector('VP8', () => undefined);
    const l = layers(0);
    const out = (p: Buffer, now: number) => {
      const h = sel.take(p, l, now);
      if (!h) return undefined;
      const o = rewriteRtp(p, 1, 96, h)!;
      sel.munge(o);
      return { seq: o.readUInt16BE(2), ts: o.readUInt32BE(4), pictureId: o.readUInt16BE(14) & 0x7fff };
    };
    expect(out(vp8(30, 100, 9000, 40, true), 0)).toEqual({ seq: 100, ts: 9000, pictureId: 40 });
    sel.setMaxSpatial(0);
    expect(out(vp8(30, 101, 9000, 40, false), 10)).toEqual({ seq: 101, ts: 9000, pictureId: 40 }); // still f: q has no keyframe yet
    expect(out(vp8(10, 7, 555, 3, false), 20)).toBeUndefined();
    expect(out(vp8(10, 8, 3555, 4, true), 30)).toEqual({ seq: 102, ts: 9000 + 20 * 90, pictureId: 41 });
    expect(out(vp8(10, 9, 6555, 5, false), 40)).toEqual({ seq: 103, ts: 9000 + 20 * 90 + 3000, pictureId: 42 });
    expect(out(vp8(30, 102, 12000, 41, false), 45)).toBeUndefined();
  });

  it('a layer the publisher paused (nothing for a second) gives way to the best one still sending', () => {
    const asked: number[] = [];
    const sel = new LayerSelector('VP8', (ssrc) => asked.push(ssrc));
    const l = layers(0);
    l.get(30)!.lastPacketAt = -5_000;
    expect(sel.take(vp8(20, 1, 100, 1, true), l, 0)).toEqual({ seq: 1, ts: 100 });
    expect(asked).toEqual([]);
  });
});
