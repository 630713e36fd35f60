// The mock image's entry point: `dispatch-lab serve` alone (the image carries no workers, runtimes or WebRTC
// clients, so the rest of the CLI, which loads them, is left out of its bundle). Errors as the CLI prints them.
import { runServe } from '../cli/serve-command.ts';
import { LabError } from '../mock-server/core/errors.ts';

const [cmd, ...rest] = process.argv.slice(2);
if (cmd !== 'serve') {
  process.stderr.write(`dispatch-lab (mock image): only "serve" runs here; got "${cmd ?? ''}"\n`);
  process.exit(2);
}
try {
  process.exitCode = await runServe(rest);
} catch (e) {
  if (!(e instanceof LabError)) throw e;
  process.stderr.write(`dispatch-lab serve: ${e.message}\n`);
  process.exitCode = 2;
}
