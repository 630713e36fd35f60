import { parseArgs } from 'node:util';
import { parseApiKeys } from '../mock-server/auth/api-keys.ts';
import { LabError } from '../mock-server/core/errors.ts';
import { startMockServer } from '../mock-server/index.ts';
import { SERVER_VERSION } from '../mock-server/config/server-version.ts';
import { traceLine } from './trace-line.ts';

export const SERVE_HELP = `dispatch-lab serve: run the mock LiveKit server (agent workers, dispatch, Twirp, /rtc)

Usage: dispatch-lab serve [options]

Options:
  --host <addr>        address to bind (default 127.0.0.1; anything wider is announced)
  --port <n>           HTTP/WebSocket port (default 7880, like livekit-server --dev; 0 = any free port)
  --keys <k:s,...>     API key:secret pairs (default devkey:secret, like livekit-server --dev)
  --timing <preset>    real (livekit-server v${SERVER_VERSION} timeouts, default) or fast (short waits for CI)
  --seed <n>           seed worker selection and ids, for reproducible runs
  --quiet              print only the ready line and warnings
  --events             print every trace event as a JSON line instead of readable lines
  -h, --help           this text

Workers connect to ws://<host>:<port> (they append /agent). Twirp: http://<host>:<port>/twirp/...
The trace is also served as JSON lines at /_lab/events (Bearer token signed with an API key).
Stops cleanly on Ctrl-C.`;

export async function runServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '7880' },
      keys: { type: 'string', default: 'devkey:secret' },
      timing: { type: 'string', default: 'real' },
      seed: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      events: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LabError('bad_flag', `--port: expected 0-65535, got "${values.port}"`);
  if (values.timing !== 'real' && values.timing !== 'fast') throw new LabError('bad_flag', `--timing: expected real or fast, got "${values.timing}"`);
  const keys = parseApiKeys(values.keys);
  const server = await startMockServer({
    host: values.host,
    port,
    keys,
    timing: values.timing,
    seed: values.seed !== undefined ? Number(values.seed) : undefined,
  });
  server.trace.onEvent((e) => {
    if (values.events) return void console.log(JSON.stringify(e));
    const line = traceLine(e);
    if (line && (!values.quiet || line.startsWith('WARN'))) console.log(`${new Date(e.at).toISOString().slice(11, 23)} ${line}`);
  });
  const loopback = values.host === '127.0.0.1' || values.host === 'localhost' || values.host === '::1';
  if (!loopback) console.log(`NOTE: bound to ${values.host}, reachable from other machines; anyone with an API key can use it.`);
  // Key names are shown so workers can be configured; secrets are not echoed unless they are the well-known dev one.
  const keyList = [...keys].map(([k, s]) => (k === 'devkey' && s === 'secret' ? `${k}:${s}` : `${k}:<secret as given>`)).join(', ');
  console.log(`dispatch-lab mock livekit-server ${SERVER_VERSION} ready at ${server.url} (http ${server.httpUrl}), keys ${keyList}, timing ${values.timing}`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  console.log('dispatch-lab stopped');
  return 0;
}
