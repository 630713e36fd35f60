import { DELIBERATE_DIFFERENCES } from '../differential/deliberate-differences.ts';
import { formatDiff } from '../differential/format.ts';
import { compareScenario, isNotCompared } from '../differential/compare-scenario.ts';
import { collectScenarioFiles } from '../scenarios/runner.ts';
import { UsageError } from '../scenarios/errors.ts';
import { parseArgs } from './args.ts';

export const DIFF_HELP = `Usage: dispatch-lab diff <files or folders...> [--against livekit|container] [--host <address>] [--deliberate]

Runs each scenario twice: on the mock (real timing) and on a fresh livekit-server v1.13.5
(installed by "npm run setup:livekit", or LIVEKIT_SERVER_BIN; or in Docker with --against container).
Ids and times are normalised away and the outcomes workers saw are compared: who got which job
type, offered / rejected / assigned / declined / terminated / orphaned, job states, participant events.
Exit status: 0 when every scenario gives the same outcomes, 1 when one differs (or fails on the
mock), 3 when none differs but some could not be compared (each says why).

Scenarios that publish tracks need media participants (rtc-node, WebRTC) on both sides, and
WebRTC gathers no loopback candidates: on 127.0.0.1 they run inside a private network namespace
when this is root; otherwise give a non-loopback --host, or they are reported as not compared.

Options:
  --against <livekit|container>  the real server: the binary (default) or the container
  --host <address>  the address both servers bind (default 127.0.0.1)
  --deliberate   list the deliberate differences (each with its reason) and exit
  --help         this text
`;

export async function runDiff(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv, ['host', 'against'], ['deliberate', 'help']);
  if (flags.help) return process.stdout.write(DIFF_HELP), 0;
  if (flags.deliberate) {
    for (const d of DELIBERATE_DIFFERENCES) console.log(`- ${d.id}: ${d.summary}\n    why: ${d.reason}`);
    return 0;
  }
  const files = await collectScenarioFiles(positional.length ? positional : ['scenarios/library']);
  const real = (flags.against ?? 'livekit') as string;
  if (real !== 'livekit' && real !== 'container') throw new UsageError(`--against must be livekit or container; got "${real}"`);
  let agree = 0;
  const notCompared: string[] = [];
  for (const [i, file] of files.entries()) {
    const r = await compareScenario(file, { host: flags.host as string | undefined, real });
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
