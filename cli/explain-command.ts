import { jobFacts, type JobFact } from '../scenarios/expect/job-facts.ts';
import { describeSipEvent, sipNoAgentEvents } from '../mock-server/sip/sip-trace-lines.ts';
import { describeJob } from '../scenarios/expect/trace-lines.ts';
import { signHs256 } from '../mock-server/auth/jwt.ts';
import { recordedParts } from '../mock-server/trace/trace-recorder.ts';
import { UsageError } from '../scenarios/errors.ts';
import { parseCommandArgs } from './args.ts';
import { DEFAULT_EVENTS_FILE, parseEventsText, readEventsFile, type ScenarioTrace } from './events-file.ts';

/** A job "simply ran" if it was assigned and did not end badly. */
const ranNormally = (j: JobFact) =>
  j.assignedTo !== undefined && (j.outcome === undefined || (j.outcome === 'completed' && j.status === 'JS_SUCCESS') || (j.outcome === 'terminated' && j.status === 'JS_SUCCESS'));

export async function runExplain(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { values: flags } = parseCommandArgs(argv, { events: { type: 'string' }, url: { type: 'string' }, all: { type: 'boolean' } });
  const url = flags.url;
  const file = url ?? flags.events ?? DEFAULT_EVENTS_FILE;
  // a recording rotated by `serve --record` is read whole: <file>.N … <file>.1, then <file>
  const traces = url ? await fetchTrace(url) : await readEventsFile(file, flags.events ? recordedParts(file) : [file]);
  let explained = 0;
  for (const t of traces) {
    const alias = (id: string | undefined) => (id ? (t.workerAliases[id] ?? id) : '');
    const jobs = jobFacts(t.events);
    const shown = flags.all ? jobs : jobs.filter((j) => !ranNormally(j));
    out(`${t.name}${t.status ? ` [${t.status}]` : ''}: ${jobs.length} job(s), ${jobs.length - jobs.filter((j) => !ranNormally(j)).length} ran normally\n`);
    for (const j of shown) out(`  ${describeJob(j, alias)}\n`);
    explained += shown.length;
    // SIP calls that brought no agent (or no participant): which trunk/rule, room or PIN decided it
    const calls = sipNoAgentEvents(t.events);
    for (const e of calls) out(`  sip ${describeSipEvent(e)}\n`);
    explained += calls.length;
  }
  if (traces.length === 0) out(`${file} holds no trace events\n`);
  else if (explained === 0) out('every job ran normally\n');
  out(
    'Note: a real livekit-server does not report jobs it never offered; on a wire-tap trace, dropped jobs are missing rather than explained.\n',
  );
  return 0;
}

/** The retained trace of a running mock (`GET /_lab/events`), with a token signed like the control API's. */
async function fetchTrace(url: string): Promise<ScenarioTrace[]> {
  const base = url.replace(/^ws/, 'http').replace(/\/+$/, '');
  const apiKey = process.env.LIVEKIT_API_KEY ?? 'devkey';
  const now = Math.floor(Date.now() / 1000);
  const token = signHs256({ iss: apiKey, sub: 'dispatch-lab-explain', nbf: now - 10, exp: now + 600 }, process.env.LIVEKIT_API_SECRET ?? 'secret');
  let res: Response;
  try {
    res = await fetch(`${base}/_lab/events`, { headers: { Authorization: `Bearer ${token}` } });
  } catch (e) {
    throw new UsageError(`--url: cannot reach ${base} (${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`);
  }
  if (!res.ok) throw new UsageError(`--url: ${base}/_lab/events answered ${res.status}: ${(await res.text()).trim().slice(0, 200)} (the key comes from LIVEKIT_API_KEY / LIVEKIT_API_SECRET, default devkey:secret)`);
  return parseEventsText(await res.text(), base);
}
