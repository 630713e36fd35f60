import { jobFacts, type JobFact } from '../scenarios/expect/job-facts.ts';
import { describeSipEvent, sipNoAgentEvents } from '../mock-server/sip/sip-trace-lines.ts';
import { describeJob } from '../scenarios/expect/trace-lines.ts';
import { parseArgs } from './args.ts';
import { DEFAULT_EVENTS_FILE, readEventsFile } from './events-file.ts';
import { EXPLAIN_HELP } from './help.ts';

/** A job "simply ran" if it was assigned and did not end badly. */
const ranNormally = (j: JobFact) =>
  j.assignedTo !== undefined && (j.outcome === undefined || (j.outcome === 'completed' && j.status === 'JS_SUCCESS') || (j.outcome === 'terminated' && j.status === 'JS_SUCCESS'));

export async function runExplain(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { flags } = parseArgs(argv, ['events'], ['all', 'help']);
  if (flags.help) return out(EXPLAIN_HELP), 0;
  const file = (flags.events as string | undefined) ?? DEFAULT_EVENTS_FILE;
  const traces = await readEventsFile(file);
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
