import type { ScenarioResult } from '../engine/result.ts';
import { formatEvent } from '../expect/trace-lines.ts';
import type { RunSummary } from '../runner.ts';
import { esc, linkify } from './html-escape.ts';
import { sequenceSvg } from './sequence-svg.ts';

const BADGE: Record<ScenarioResult['status'], string> = { passed: 'PASS', failed: 'FAIL', needs: 'NEEDS', invalid: 'INVALID' };

const CSS = `
body{font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f8fafc;color:#0f172a}
header{background:#0f172a;color:#f8fafc;padding:18px 28px}header h1{margin:0 0 4px;font-size:20px}header p{margin:0;color:#cbd5e1;font-size:13px}
main{padding:20px 28px;max-width:1500px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px;box-shadow:0 1px 2px #0001}
th,td{padding:6px 10px;border-bottom:1px solid #e2e8f0;text-align:left;vertical-align:top}th{background:#f1f5f9}
.b{display:inline-block;min-width:52px;text-align:center;border-radius:4px;padding:1px 6px;font-weight:700;font-size:11px;color:#fff}
.passed{background:#15803d}.failed{background:#b91c1c}.needs{background:#b45309}.invalid{background:#7e22ce}
section{background:#fff;margin:22px 0;padding:14px 18px;border-radius:8px;box-shadow:0 1px 3px #0002}
section h2{margin:0 0 6px;font-size:17px}.desc{margin:4px 0;font-size:14px}.repro{margin:4px 0 10px;font-size:12px;color:#475569}
pre{background:#0f172a;color:#e2e8f0;padding:10px 12px;border-radius:6px;overflow:auto;font-size:12px;line-height:1.45}
pre.fail{background:#450a0a;color:#fee2e2}.diagram{overflow-x:auto;border:1px solid #e2e8f0;border-radius:6px;padding:6px;background:#fff}
details summary{cursor:pointer;font-size:13px;color:#334155;margin:8px 0}.totals span{margin-right:14px}
a{color:#1d4ed8}`;

/** One self-contained HTML page for a run: summary table, then per scenario its diagram and trace. */
export function htmlReport(run: RunSummary): string {
  const counts = (s: ScenarioResult['status']) => run.results.filter((r) => r.status === s).length;
  const rows = run.results
    .map(
      (r, i) =>
        `<tr><td><span class="b ${r.status}">${BADGE[r.status]}</span></td><td><a href="#s${i}">${esc(r.name)}</a></td><td>${(r.durationMs / 1000).toFixed(1)} s</td><td>${esc(r.description)}</td></tr>`,
    )
    .join('\n');
  const sections = run.results.map((r, i) => section(r, i)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>dispatch-lab report</title><style>${CSS}</style></head>
<body><header><h1>dispatch-lab: ${run.results.length} scenario(s) against ${esc(run.against)}</h1>
<p class="totals"><span>${counts('passed')} passed</span><span>${counts('failed')} failed</span><span>${counts('needs')} need something</span><span>${counts('invalid')} invalid</span><span>${(run.durationMs / 1000).toFixed(1)} s</span><span>${esc(run.startedAt.toISOString())}</span></p></header>
<main><table><thead><tr><th>result</th><th>scenario</th><th>time</th><th>what it shows</th></tr></thead><tbody>
${rows}
</tbody></table>
${sections}
</main></body></html>
`;
}

function section(r: ScenarioResult, i: number): string {
  const t0 = r.events[0]?.at ?? 0;
  const alias = (id: string | undefined) => (id ? (r.workerAliases[id] ?? id) : '');
  const trace = r.events.filter((e) => e.kind !== 'worker.message').map((e) => formatEvent(e, t0, alias));
  return `<section id="s${i}"><h2><span class="b ${r.status}">${BADGE[r.status]}</span> ${esc(r.name)}</h2>
<p class="desc">${esc(r.description)}</p>
<p class="repro">Reproduces: ${linkify(r.reproduces)}${r.file ? `<br>File: <code>${esc(r.file)}</code>` : ''}</p>
${r.message ? `<pre class="fail">${esc(r.message)}</pre>` : ''}
${r.events.length ? `<div class="diagram">${sequenceSvg(r.events, r.workerAliases)}</div>` : ''}
${trace.length ? `<details><summary>Trace (${trace.length} events)</summary><pre>${esc(trace.join('\n'))}</pre></details>` : ''}
</section>`;
}
