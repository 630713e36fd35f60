import { DELIBERATE_DIFFERENCES } from '../differential/deliberate-differences.ts';
import { formatDiff } from '../differential/format.ts';
import { runDifferential } from '../differential/run-differential.ts';
import { collectScenarioFiles } from '../scenarios/runner.ts';
import { parseCommandArgs } from './args.ts';

export async function runDiff(argv: string[]): Promise<number> {
  const { positionals, values: flags } = parseCommandArgs(argv, { host: { type: 'string' }, deliberate: { type: 'boolean' } }, { positionals: true });
  if (flags.deliberate) {
    for (const d of DELIBERATE_DIFFERENCES) console.log(`- ${d.id}: ${d.summary}\n    why: ${d.reason}`);
    return 0;
  }
  const files = await collectScenarioFiles(positionals.length ? positionals : ['scenarios/library']);
  let agree = 0;
  for (const [i, file] of files.entries()) {
    const r = await runDifferential(file, { host: flags.host });
    const verdict = r.agrees ? 'same' : r.mock.status !== 'passed' ? 'MOCK FAILED' : 'DIFFERENT';
    const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`[${i + 1}/${files.length}] ${verdict.padEnd(11)} ${r.name}  (mock ${secs(r.mock.durationMs)}, real ${secs(r.real.durationMs)})`);
    if (r.agrees) {
      agree++;
      continue;
    }
    if (r.mediaUnavailable) console.log(`    needs media: ${r.mediaUnavailable}`);
    if (r.mock.status !== 'passed') console.log(`    ${r.mock.message ?? r.mock.status}`);
    else console.log(formatDiff(r.differences).replace(/^/gm, '    '));
  }
  console.log(`\n${agree} of ${files.length} scenarios give the same outcomes on the mock and on livekit-server v1.13.5`);
  return agree === files.length ? 0 : 1;
}
