import type { Difference } from './outcome.ts';

/** A readable report: unexpected differences first (✗), then deliberate ones (~) with their id. */
export function formatDiff(diffs: readonly Difference[], opts: { title?: string } = {}): string {
  const unexpected = diffs.filter((d) => !d.deliberate);
  const deliberate = diffs.filter((d) => d.deliberate);
  const head = opts.title ? `${opts.title}: ` : '';
  if (diffs.length === 0) return `${head}no differences between mock and real server`;
  const lines = [`${head}${unexpected.length} unexpected difference${unexpected.length === 1 ? '' : 's'}, ${deliberate.length} deliberate`];
  for (const d of unexpected) lines.push(`  ✗ ${d.path}`, `      mock: ${show(d.mock)}`, `      real: ${show(d.real)}`);
  for (const d of deliberate) lines.push(`  ~ ${d.path} [deliberate: ${d.deliberate}]`, `      mock: ${show(d.mock)}`, `      real: ${show(d.real)}`);
  return lines.join('\n');
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' | ') : '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
