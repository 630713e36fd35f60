import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_HELP, type CommandName } from '../../cli/help.ts';
import { cliRunner } from '../support/cli-process.ts';

const { cli, stopAll } = cliRunner(mkdtempSync(join(tmpdir(), 'dispatch-lab-usage-')));
afterAll(stopAll);

// Every command, each way a flag can be wrong: nothing starts, nothing is read.
const CASES: [CommandName, string[], string][] = [
  ['run', ['--bogus'], 'unknown option --bogus; options: --against, --host, --report, --junit, --events, --timing, --allow-needs, --runtime, --help'],
  ['run', ['x.yaml', '--timing', 'slow'], '--timing must be fast or real; got "slow"'],
  ['run', ['x.yaml', '--report'], '--report needs a value'],
  ['run', ['x.yaml', '--against', 'nowhere'], '--against must be mock, livekit, container or a ws://, wss://, http:// or https:// URL; got "nowhere"'],
  ['diff', ['--bogus'], 'unknown option --bogus; options: --host, --against, --deliberate, --help'],
  ['diff', ['--deliberate=yes'], '--deliberate takes no value'],
  ['explain', ['--events'], '--events needs a value'],
  ['explain', ['stray'], 'unexpected argument "stray"; this command takes only options'],
  ['serve', ['--bogus'], 'unknown option --bogus; options: --host, --port, --keys, --timing, --seed, --quiet, --verbose, --events, --record, --record-mb, --record-files, --trace-events, --trace-mb, --help'],
  ['serve', ['--port', 'x'], '--port must be an integer from 0 to 65535; got "x"'],
  ['serve', ['--timing', 'slow'], '--timing must be real or fast; got "slow"'],
  ['serve', ['--keys', 'nosecret'], '--keys: expected key:secret, got "nosecret"'],
];

describe('dispatch-lab usage errors', () => {
  it.concurrent.each(CASES)('%s %j: one line, the usage, exit 2, no stack trace', async (cmd, args, what) => {
    const r = await cli([cmd, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`dispatch-lab ${cmd}: ${what}\n\n${COMMAND_HELP[cmd]}`);
  }, 30_000);

  it('--help prints the command help on stdout and exits 0, without running the command', async () => {
    const r = await cli(['serve', '--port', '1', '--help']);
    expect(r).toEqual({ code: 0, stdout: COMMAND_HELP.serve, stderr: '' });
  }, 30_000);
});
