import { describe, expect, it } from 'vitest';
import { startsKeyframe } from './keyframe.ts';
import { Vp9LayerSelector } from './vp9-layer-selector.ts';

/** A VP9 RTP packet of an L3 stream: descriptor I (15-bit picture id) P L B E, layer indices TID/SID, then a payload byte. */
function vp9(seq: number, spatial: number, opts: { key?: boolean; begins?: boolean; ends?: boolean; marker?: boolean } = {}): Buffer {
  const p = Buffer.alloc(12 + 5);
  p[0] = 0x80;
  p[1] = (opts.marker ? 0x80 : 0) | 98;
  p.writeUInt16BE(seq, 2);
  p.writeUInt32BE(90_000, 4);
  p.writeUInt32BE(7, 8);
  // a keyframe's upper layers predict only from the layer below (P clear); other pictures from their own past
  p[12] = 0x80 | (opts.key ? 0 : 0x40) | 0x20 | (opts.begins ? 0x08 : 0) | (opts.ends ? 0x04 : 0);
  p.writeUInt16BE(0x8000 | seq, 13);
  p[15] = spatial << 1;
  return p;
}

/** One picture: for each spatial layer up to `top`, a first and a last packet; the publisher marks the last. */
const picture = (seq: number, top: number, key = false): Buffer[] =>
  Array.from({ length: top + 1 }, (_, s) => [
    vp9(seq + 2 * s, s, { key, begins: true }),
    vp9(seq + 2 * s + 1, s, { key, ends: true, marker: s === top }),
  ]).flat();

const run = (sel: Vp9LayerSelector, packets: Buffer[], now: number) =>
  packets.map((p) => sel.take(p, now)).map((h) => (h ? `${h.seq}${h.marker ? 'M' : ''}` : '-'));

describe('Vp9LayerSelector: VP9 spatial layers per subscriber', () => {
  it('waits for a keyframe (asking for one), then forwards every layer with the publisher marker', () => {
    let asked = 0;
    const sel = new Vp9LayerSelector(() => asked++);
    expect(run(sel, picture(10, 2), 0)).toEqual(['-', '-', '-', '-', '-', '-']);
    expect(asked).toBe(1);
    expect(startsKeyframe(picture(20, 2, true)[0]!, 'VP9')).toBe(true);
    expect(run(sel, picture(20, 2, true), 10)).toEqual(['14', '15', '16', '17', '18', '19M']);
    expect(sel.layer.current).toBe(2);
  });

  it('a lower cap drops the upper layers at the end of a target-layer frame, renumbers and moves the marker', () => {
    const sel = new Vp9LayerSelector(() => undefined);
    run(sel, picture(0, 2, true), 0);
    sel.layer.maxSpatial = 0;
    expect(run(sel, picture(6, 2), 10)).toEqual(['6', '7M', '-', '-', '-', '-']);
    expect(run(sel, picture(12, 2), 20)).toEqual(['8', '9M', '-', '-', '-', '-']);
    expect(sel.layer.current).toBe(0);
  });

  it('scaling up waits for a picture that predicts from no earlier one, and asks for it', () => {
    let asked = 0;
    const sel = new Vp9LayerSelector(() => asked++);
    sel.layer.maxSpatial = 0;
    run(sel, picture(0, 2, true), 0);
    sel.layer.maxSpatial = 2;
    expect(run(sel, picture(6, 2), 10)).toEqual(['2', '3M', '-', '-', '-', '-']);
    expect(asked).toBe(1);
    expect(run(sel, picture(12, 2, true), 20)).toEqual(['4', '5', '6', '7', '8', '9M']);
  });

  it('once a second of pictures showed two layers, a cap of three asks for no more keyframes', () => {
    let asked = 0;
    const sel = new Vp9LayerSelector(() => asked++);
    run(sel, picture(0, 1, true), 0);
    for (let t = 100; t <= 1_500; t += 100) run(sel, picture(4 * (t / 100), 1), t);
    const before = asked;
    for (let t = 1_600; t <= 3_000; t += 100) run(sel, picture(4 * (t / 100), 1), t);
    expect(asked).toBe(before);
    expect(sel.layer.current).toBe(1);
  });
});

describe('keyframes of the SVC-capable codecs', () => {
  it('AV1: the aggregation header N bit starts a coded video sequence', () => {
    const p = Buffer.alloc(14);
    p[0] = 0x80;
    p[12] = 0x18; // W=1, N=1
    expect(startsKeyframe(p, 'AV1')).toBe(true);
    p[12] = 0x10;
    expect(startsKeyframe(p, 'AV1')).toBe(false);
  });
});
