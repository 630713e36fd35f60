import { DELIBERATE_DIFFERENCES } from '../differential/deliberate-differences.ts';
import { formatDiff } from '../differential/format.ts';
import { compareScenario, isNotCompared } from '../differential/compare-scenario.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { collectScenarioFiles } from '../scenarios/runner.ts';
import { usesSimulatedTelephony } from '../scenarios/steps/sip-names.ts';
import { UsageError } from '../scenarios/errors.ts';
import { parseCommandArgs } from './args.ts';

export async function runDiff(argv: string[]): Promise<number> {
  const { positionals, values: flags } = parseCommandArgs(
    argv,
    { host: { type: 'string' }, against: { type: 'string', default: 'livekit' }, deliberate: { type: 'boolean' } },
    { positionals: true },
  );
  if (flags.deliberate) {
    for (const d of DELIBERATE_DIFFERENCES) console.log(`- ${d.id}: ${d.summary}\n    why: ${d.reason}`);
    return 0;
  }
  const files = await collectScenarioFiles(positionals.length ? positionals : ['scenarios/library']);
  const real = flags.against;
  if (real !== 'livekit' && real !== 'container') throw new UsageError(`--against must be livekit or container; got "${real}"`);
  let agree = 0;
  const notCompared: string[] = [];
  for (const [i, file] of files.entries()) {
    // the real server has no SIP bridge to call through; its SIP API is compared by test/differential/sip-*.test.ts
    const scenario = await loadScenarioFile(file);
    const r = usesSimulatedTelephony(scenario)
      ? { name: scenario.name, file, notCompared: 'drives the simulated SIP bridge and phones, which a livekit-server without livekit-sip and a carrier cannot' }
      : await compareScenario(file, { host: flags.host, real });
    if (isNotCompared(r)) {
      console.log(`[${i + 1}/${files.length}] ${'NOT COMPARED'.padEnd(11)} ${r.name}\n    ${r.notCompared}`);
      notCompared.push(r.name);
      continue;
    }
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
  const where = real === 'container' ? 'livekit-server v1.13.5 in a container' : 'livekit-server v1.13.5';
  const skipped = notCompared.length ? `; ${notCompared.length} not compared (${notCompared.join(', ')})` : '';
  console.log(`\n${agree} of ${files.length - notCompared.length} compared scenarios give the same outcomes on the mock and on ${where}${skipped}`);
  return agree + notCompared.length < files.length ? 1 : notCompared.length ? 3 : 0;
}
