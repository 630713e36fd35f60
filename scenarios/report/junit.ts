import { formatEvent } from '../expect/trace-lines.ts';
import type { RunSummary } from '../runner.ts';

// eslint-disable-next-line no-control-regex -- XML 1.0 forbids these control characters: they are dropped
const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * JUnit XML for CI systems. A scenario that needs something missing is an <error> (not a skip): the run did
 * not show what it was meant to show, and CI should say so.
 */
export function junitXml(run: RunSummary): string {
  const failures = run.results.filter((r) => r.status === 'failed').length;
  const errors = run.results.filter((r) => r.status === 'needs' || r.status === 'invalid').length;
  const cases = run.results.map((r) => {
    const t0 = r.events[0]?.at ?? 0;
    const out = r.events.filter((e) => e.kind !== 'worker.message').map((e) => formatEvent(e, t0, (id) => (id ? (r.workerAliases[id] ?? id) : '')));
    const first = (r.message ?? '').split('\n')[0] ?? '';
    const body =
      r.status === 'failed'
        ? `<failure message="${x(first)}" type="expectation">${x(r.message ?? '')}</failure>`
        : r.status === 'needs'
          ? `<error message="${x(first)}" type="requirement_missing">${x(r.message ?? '')}</error>`
          : r.status === 'invalid'
            ? `<error message="${x(first)}" type="scenario_invalid">${x(r.message ?? '')}</error>`
            : '';
    return `  <testcase classname="dispatch-lab.${x(run.against)}" name="${x(r.name)}" time="${(r.durationMs / 1000).toFixed(3)}"${r.file ? ` file="${x(r.file)}"` : ''}>
    ${body}<system-out>${x(`${r.description}\nreproduces: ${r.reproduces}\n\n${out.join('\n')}`)}</system-out>
  </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dispatch-lab" tests="${run.results.length}" failures="${failures}" errors="${errors}" time="${(run.durationMs / 1000).toFixed(3)}">
<testsuite name="dispatch-lab against ${x(run.against)}" tests="${run.results.length}" failures="${failures}" errors="${errors}" time="${(run.durationMs / 1000).toFixed(3)}" timestamp="${run.startedAt.toISOString()}">
${cases.join('\n')}
</testsuite>
</testsuites>
`;
}
