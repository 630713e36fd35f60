import type { Difference } from './outcome.ts';

/** A readable report: unexpected differences first (✗), then deliberate ones (~) with their id. */
export function formatDiff(diffs: readonly Difference[], opts: { title?: string } = {}): string {
  const unexpected = diffs.filter((d) => !d.deliberate);
  const deliberate = diffs.filter((d) => d.deliberate);
  const head = opts.title ? `${opts.title}: ` : '';
  if (diffs.length === 0) return `${head}no differences between mock and real server`;
  const lines = [`${head}${unexpected.length} unexpected difference${unexpected.length === 1 ? '' : 's'}, ${deliberate.length} deliberate`];
  for (const d of unexpected) lines.push(`  ✗ ${d.path}`, side('mock', d.mock), side('real', d.real));
  for (const d of deliberate) lines.push(`  ~ ${d.path} [deliberate: ${d.deliberate}]`, side('mock', d.mock), side('real', d.real));
  return lines.join('\n');
}

/** One line per side; a list of several entries (participants, api calls) gets one entry per line. */
function side(label: 'mock' | 'real', v: unknown): string {
  if (Array.isArray(v) && v.length > 1) return [`      ${label}:`, ...v.map((x) => `        - ${item(x)}`)].join('\n');
  return `      ${label}: ${show(v)}`;
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (Array.isArray(v)) return v.length ? v.map(item).join(' | ') : '(none)';
  return item(v);
}

const item = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
