import { LabError } from '../mock-server/core/errors.ts';
import { releaseMediaClients } from '../scenarios/participants/media-availability.ts';
import { DIFF_HELP, runDiff } from './diff-command.ts';
import { runExplain } from './explain-command.ts';
import { EXPLAIN_HELP, MAIN_HELP, RUN_HELP } from './help.ts';
import { runRun } from './run-command.ts';
import { runServe, SERVE_HELP } from './serve-command.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  run: { run: (a) => runRun(a), help: RUN_HELP },
  explain: { run: (a) => runExplain(a), help: EXPLAIN_HELP },
  serve: { run: (a) => runServe(a), help: SERVE_HELP },
  diff: { run: (a) => runDiff(a), help: DIFF_HELP },
};

/** Dispatches a subcommand; lab errors become one clear line and exit code 2, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h') return process.stdout.write(MAIN_HELP), 0;
  if (cmd === 'help') {
    const c = rest[0] ? COMMANDS[rest[0]] : undefined;
    process.stdout.write(c ? `${c.help}\n` : MAIN_HELP);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    process.stderr.write(`dispatch-lab: unknown command "${cmd}"\n\n${MAIN_HELP}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof LabError) {
      process.stderr.write(`dispatch-lab ${cmd}: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await releaseMediaClients(); // the command is over; media participants (rtc-node) would keep the process alive
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) process.exitCode = await main(process.argv.slice(2));
