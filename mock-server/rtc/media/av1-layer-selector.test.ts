import { describe, expect, it } from 'vitest';
import { Av1LayerSelector } from './av1-layer-selector.ts';
import { startsKeyframe } from './keyframe.ts';

/**
 * An AV1 RTP packet: aggregation header (Z, W=1, N) and, unless it continues an OBU, a frame OBU header with the
 * extension flag and its temporal/spatial ids.
 */
function av1(seq: number, ts: number, spatial: number, opts: { continues?: boolean; key?: boolean; marker?: boolean } = {}): Buffer {
  const p = Buffer.alloc(12 + 4);
  p[0] = 0x80;
  p[1] = (opts.marker ? 0x80 : 0) | 45;
  p.writeUInt16BE(seq, 2);
  p.writeUInt32BE(ts, 4);
  p.writeUInt32BE(9, 8);
  p[12] = (opts.continues ? 0x80 : 0) | 0x10 | (opts.key ? 0x08 : 0);
  p[13] = (6 << 3) | 0x04; // OBU_FRAME with an extension header
  p[14] = spatial << 3;
  return p;
}

/** One temporal unit: two packets per spatial layer up to `top` (the second continues the first's OBU). */
const unit = (seq: number, ts: number, top: number, key = false): Buffer[] =>
  Array.from({ length: top + 1 }, (_, s) => [av1(seq + 2 * s, ts, s, { key: key && s === 0 }), av1(seq + 2 * s + 1, ts, s, { continues: true, marker: s === top })]).flat();

const run = (sel: Av1LayerSelector, packets: Buffer[], now: number) =>
  packets.flatMap((p) => sel.push(p, now)).map((f) => `${f.header.seq}${f.header.marker ? 'M' : ''}`);

describe('Av1LayerSelector: AV1 spatial layers per subscriber, from the OBU extension headers', () => {
  it('waits for a keyframe (asking for one), then forwards every layer, each packet once and in order', () => {
    let asked = 0;
    const sel = new Av1LayerSelector(() => asked++);
    expect(run(sel, unit(0, 1000, 2), 0)).toEqual([]);
    expect(asked).toBe(1);
    expect(startsKeyframe(unit(6, 4000, 2, true)[0]!, 'AV1')).toBe(true);
    expect(run(sel, unit(6, 4000, 2, true), 10)).toEqual(['0', '1', '2', '3', '4', '5M']);
    expect(sel.layer.current).toBe(2);
  });

  it('a lower cap takes effect at the next temporal unit; the last kept packet of each unit carries the marker', () => {
    const sel = new Av1LayerSelector(() => undefined);
    run(sel, unit(0, 1000, 2, true), 0);
    sel.layer.maxSpatial = 0;
    // the S0 packets go; the held second one is released, marked, when S1 starts
    expect(run(sel, unit(6, 4000, 2), 10)).toEqual(['6', '7M']);
    expect(run(sel, unit(12, 7000, 2), 20)).toEqual(['8', '9M']);
    expect(sel.layer.current).toBe(0);
  });

  it('scaling up waits for a keyframe, and asks for it', () => {
    let asked = 0;
    const sel = new Av1LayerSelector(() => asked++);
    sel.layer.maxSpatial = 1;
    expect(run(sel, unit(0, 1000, 2, true), 0)).toEqual(['0', '1', '2', '3M']);
    sel.layer.maxSpatial = 2;
    const before = asked;
    expect(run(sel, unit(6, 4000, 2), 600)).toEqual(['4', '5', '6', '7M']);
    expect(asked).toBe(before + 1);
    expect(run(sel, unit(12, 7000, 2, true), 700)).toEqual(['8', '9', '10', '11', '12', '13M']);
  });
});
