import { DELIBERATE_DIFFERENCES } from '../differential/deliberate-differences.ts';
import { formatDiff } from '../differential/format.ts';
import { SERVER_VERSION } from '../mock-server/config/server-version.ts';
import { runDifferential } from '../differential/run-differential.ts';
import { collectScenarioFiles } from '../scenarios/runner.ts';
import { parseArgs } from './args.ts';

export const DIFF_HELP = `Usage: dispatch-lab diff <files or folders...> [--host <address>] [--deliberate]

Runs each scenario twice: on the mock (real timing) and on a fresh livekit-server v${SERVER_VERSION}
(installed by "npm run setup:livekit", or LIVEKIT_SERVER_BIN). Ids and times are normalised
away and the outcomes workers saw are compared: who got which job type, offered / rejected /
assigned / declined / terminated / orphaned, job states, participant events.
Exits 0 only when no scenario shows an unexpected difference.

Scenarios that publish tracks need media participants (rtc-node, WebRTC) on both sides, and
WebRTC gathers no loopback candidates: give a non-loopback --host (e.g. inside a network
namespace, as test/differential/publish-diff.test.ts does), otherwise they cannot agree.

Options:
  --host <address>  the address both servers bind (default 127.0.0.1)
  --deliberate   list the deliberate differences (each with its reason) and exit
  --help         this text
`;

export async function runDiff(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv, ['host'], ['deliberate', 'help']);
  if (flags.help) return process.stdout.write(DIFF_HELP), 0;
  if (flags.deliberate) {
    for (const d of DELIBERATE_DIFFERENCES) console.log(`- ${d.id}: ${d.summary}\n    why: ${d.reason}`);
    return 0;
  }
  const files = await collectScenarioFiles(positional.length ? positional : ['scenarios/library']);
  let agree = 0;
  for (const [i, file] of files.entries()) {
    const r = await runDifferential(file, { host: flags.host as string | undefined });
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
  console.log(`\n${agree} of ${files.length} scenarios give the same outcomes on the mock and on livekit-server v${SERVER_VERSION}`);
  return agree === files.length ? 0 : 1;
}
