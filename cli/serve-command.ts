import { parseApiKeys, type ApiKeys } from '../mock-server/auth/api-keys.ts';
import { ConfigError } from '../mock-server/core/errors.ts';
import { startMockServer } from '../mock-server/index.ts';
import { TraceRecorder } from '../mock-server/trace/trace-recorder.ts';
import { DEFAULT_TRACE_RETENTION } from '../mock-server/trace/trace-retention.ts';
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
    verbose: { type: 'boolean', default: false },
    events: { type: 'boolean', default: false },
    record: { type: 'string' },
    'record-mb': { type: 'string', default: '100' },
    'record-files': { type: 'string', default: '5' },
    'trace-events': { type: 'string', default: String(DEFAULT_TRACE_RETENTION.maxEvents) },
    'trace-mb': { type: 'string', default: String(DEFAULT_TRACE_RETENTION.maxBytes / 1048576) },
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
  const atLeast = (flag: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`--${flag}: expected a number ≥ ${min}, got "${v}"`);
    return n;
  };
  const traceRetention = { maxEvents: Math.floor(atLeast('trace-events', values['trace-events'], 1000)), maxBytes: atLeast('trace-mb', values['trace-mb'], 1) * 1048576 };
  const recordOptions = { maxFileBytes: atLeast('record-mb', values['record-mb'], 0.001) * 1048576, keepFiles: Math.floor(atLeast('record-files', values['record-files'], 0)) };
  return { ...values, port, timing, seed, keys, traceRetention, recordOptions };
}

export async function runServe(argv: string[]): Promise<number> {
  const { keys, port, seed, traceRetention, recordOptions, ...values } = parseServeFlags(argv);
  const server = await startMockServer({
    host: values.host,
    port,
    keys,
    timing: values.timing,
    seed,
    traceRetention,
  });
  let recorder: TraceRecorder | undefined;
  try {
    if (values.record) recorder = new TraceRecorder(server.trace, values.record, recordOptions);
  } catch (e) {
    await server.close();
    throw e;
  }
  server.trace.onEvent((e) => {
    if (values.events) return void console.log(JSON.stringify(e));
    const line = traceLine(e);
    if (!line || (line.startsWith('DEBUG') && !values.verbose) || (values.quiet && !line.startsWith('WARN'))) return;
    console.log(`${new Date(e.at).toISOString().slice(11, 23)} ${line}`);
  });
  const loopback = values.host === '127.0.0.1' || values.host === 'localhost' || values.host === '::1';
  if (!loopback) console.log(`NOTE: bound to ${values.host}, reachable from other machines; anyone with an API key can use it.`);
  // Key names are shown so workers can be configured; secrets are not echoed unless they are the well-known dev one.
  const keyList = [...keys].map(([k, s]) => (k === 'devkey' && s === 'secret' ? `${k}:${s}` : `${k}:<secret as given>`)).join(', ');
  console.log(`dispatch-lab mock livekit-server 1.13.5 ready at ${server.url} (http ${server.httpUrl}), keys ${keyList}, timing ${values.timing}`);
  console.log(`inspector: ${server.httpUrl}/_lab/ (one-time sign-in link: ${server.inspectorLink()})${values.record ? `; recording the trace to ${values.record}` : ''}`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  recorder?.close();
  console.log('dispatch-lab stopped');
  return 0;
}
