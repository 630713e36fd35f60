import { LabError } from '../mock-server/core/errors.ts';
import { UsageError } from '../scenarios/errors.ts';
import { wantsHelp } from './args.ts';
import { COMMAND_HELP, MAIN_HELP, type CommandName } from './help.ts';

type Command = (argv: string[]) => Promise<number>;

// Each command's module is loaded only when it runs, so `--help` and a usage error load nothing heavy.
const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  run: async () => (await import('./run-command.ts')).runScenariosCommand,
  explain: async () => (await import('./explain-command.ts')).runExplain,
  serve: async () => (await import('./serve-command.ts')).runServe,
  diff: async () => (await import('./diff-command.ts')).runDiff,
};

const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMANDS, name);

/** Dispatches a subcommand; lab errors become one clear line and exit code 2 (usage errors add the usage), never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h') {
    process.stdout.write(MAIN_HELP);
    return 0;
  }
  if (cmd === 'help') {
    process.stdout.write(isCommand(rest[0]) ? COMMAND_HELP[rest[0]] : MAIN_HELP);
    return 0;
  }
  if (!isCommand(cmd)) {
    process.stderr.write(`dispatch-lab: unknown command "${cmd}"\n\n${MAIN_HELP}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(COMMAND_HELP[cmd]);
    return 0;
  }
  try {
    return await (await COMMANDS[cmd]())(rest);
  } catch (e) {
    if (!(e instanceof LabError)) throw e;
    process.stderr.write(`dispatch-lab ${cmd}: ${e.message}\n${e instanceof UsageError ? `\n${COMMAND_HELP[cmd]}` : ''}`);
    return 2;
  } finally {
    // the command is over; media participants (rtc-node) would keep the process alive
    const { releaseMediaClients } = await import('../scenarios/participants/media-availability.ts');
    await releaseMediaClients();
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) process.exitCode = await main(process.argv.slice(2));
