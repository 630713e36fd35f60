import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { diagramModel, type Tone } from './diagram-model.ts';
import { esc } from './html-escape.ts';

const LANE_W = 170;
const LEFT = 64;
const TOP = 44;
const ROW_H = 24;
const COLORS: Record<Tone, string> = { normal: '#334155', good: '#15803d', bad: '#b91c1c', warn: '#b45309', fault: '#7e22ce', muted: '#64748b' };
const HEAD_FILL: Record<string, string> = { api: '#e0e7ff', participant: '#fef3c7', server: '#dbeafe', worker: '#dcfce7' };

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A self-contained SVG sequence diagram of one scenario's trace (no scripts, no external assets). */
export function sequenceSvg(events: readonly TraceEvent[], aliases: Record<string, string>): string {
  const m = diagramModel(events, aliases);
  const x = new Map(m.lanes.map((l, i) => [l.id, LEFT + LANE_W / 2 + i * LANE_W]));
  // Room on the right for the reasons of failed jobs, which are the point of most diagrams.
  const width = Math.max(LEFT + m.lanes.length * LANE_W + 10, x.get('server')! + 560);
  const height = TOP + (m.rows.length + 1) * ROW_H + (m.truncated ? ROW_H : 0);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="seq" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-sans-serif, system-ui, sans-serif" font-size="11">`);
  out.push('<defs>');
  for (const [tone, c] of Object.entries(COLORS)) out.push(`<marker id="ah-${tone}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`);
  out.push('</defs>');
  for (const l of m.lanes) {
    const cx = x.get(l.id)!;
    out.push(`<line x1="${cx}" y1="${TOP - 8}" x2="${cx}" y2="${height - 4}" stroke="#cbd5e1" stroke-dasharray="4 3"/>`);
    out.push(`<rect x="${cx - LANE_W / 2 + 8}" y="6" width="${LANE_W - 16}" height="26" rx="6" fill="${HEAD_FILL[l.role]}" stroke="#94a3b8"/>`);
    out.push(`<text x="${cx}" y="23" text-anchor="middle" font-weight="600" font-size="12">${esc(clip(l.title, 22))}</text>`);
  }
  m.rows.forEach((r, i) => {
    const y = TOP + (i + 1) * ROW_H - 6;
    const color = COLORS[r.tone];
    out.push(`<g><title>${esc(r.detail)}</title>`);
    out.push(`<text x="4" y="${y + 4}" fill="#94a3b8" font-size="10">+${((r.at - m.t0) / 1000).toFixed(2)}s</text>`);
    if (r.kind === 'arrow') {
      const x1 = x.get(r.from)!;
      const x2 = x.get(r.to)!;
      const dir = x2 > x1 ? 1 : -1;
      out.push(`<line x1="${x1}" y1="${y}" x2="${x2 - dir * 2}" y2="${y}" stroke="${color}" stroke-width="1.4" marker-end="url(#ah-${r.tone})"/>`);
      const span = Math.abs(x2 - x1);
      out.push(`<text x="${(x1 + x2) / 2}" y="${y - 4}" text-anchor="middle" fill="${color}">${esc(clip(r.label, Math.max(18, Math.floor(span / 6))))}</text>`);
    } else if (r.tone === 'bad') {
      // Failure notes run to the right edge so the whole reason stays readable.
      const left = x.get(r.lane)! - LANE_W / 2 + 6;
      const label = clip(r.label, Math.floor((width - left - 14) / 5.6));
      out.push(`<rect x="${left}" y="${y - 11}" width="${Math.min(width - left - 4, label.length * 5.6 + 14)}" height="17" rx="4" fill="#fef2f2" stroke="${color}"/>`);
      out.push(`<text x="${left + 7}" y="${y + 2}" fill="${color}">${esc(label)}</text>`);
    } else {
      const cx = x.get(r.lane)!;
      const label = clip(r.label, 46);
      const w = Math.min(LANE_W * 2 - 10, label.length * 6 + 14);
      out.push(`<rect x="${cx - w / 2}" y="${y - 11}" width="${w}" height="17" rx="4" fill="#fff" stroke="${color}"/>`);
      out.push(`<text x="${cx}" y="${y + 2}" text-anchor="middle" fill="${color}">${esc(label)}</text>`);
    }
    out.push('</g>');
  });
  if (m.truncated) out.push(`<text x="${LEFT}" y="${height - 8}" fill="#64748b">… ${m.truncated} more rows in the trace listing below</text>`);
  out.push('</svg>');
  return out.join('\n');
}
