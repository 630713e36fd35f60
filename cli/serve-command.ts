import { parseApiKeys, type ApiKeys } from '../mock-server/auth/api-keys.ts';
import { ConfigError } from '../mock-server/core/errors.ts';
import { startMockServer } from '../mock-server/index.ts';
import { UsageError } from '../scenarios/errors.ts';
import { integerFlag, oneOf, parseCommandArgs } from './args.ts';
import { traceLine } from './trace-line.ts';

/** serve's flags, checked before anything starts; a bad one is a UsageError. */
function parseServeFlags(argv: string[]) {
  const { values } = parseCommandArgs(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '7880' },
    keys: { type: 'string', default: 'devkey:secret' },
    timing: { type: 'string', default: 'real' },
    seed: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    events: { type: 'boolean', default: false },
  });
  const port = integerFlag('port', values.port, 0, 65535)!;
  const timing = oneOf('timing', values.timing, ['real', 'fast']);
  const seed = integerFlag('seed', values.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  let keys: ApiKeys;
  try {
    keys = parseApiKeys(values.keys);
  } catch (e) {
    throw e instanceof ConfigError ? new UsageError(e.message) : e;
  }
  return { ...values, port, timing, seed, keys };
}

export async function runServe(argv: string[]): Promise<number> {
  const { keys, port, seed, ...values } = parseServeFlags(argv);
  const server = await startMockServer({
    host: values.host,
    port,
    keys,
    timing: values.timing,
    seed,
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
  console.log(`dispatch-lab mock livekit-server 1.13.5 ready at ${server.url} (http ${server.httpUrl}), keys ${keyList}, timing ${values.timing}`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  console.log('dispatch-lab stopped');
  return 0;
}
