import { jobFacts, type JobFact } from '../scenarios/expect/job-facts.ts';
import { describeJob } from '../scenarios/expect/trace-lines.ts';
import { parseCommandArgs } from './args.ts';
import { DEFAULT_EVENTS_FILE, readEventsFile } from './events-file.ts';

/** A job "simply ran" if it was assigned and did not end badly. */
const ranNormally = (j: JobFact) =>
  j.assignedTo !== undefined && (j.outcome === undefined || (j.outcome === 'completed' && j.status === 'JS_SUCCESS') || (j.outcome === 'terminated' && j.status === 'JS_SUCCESS'));

export async function runExplain(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { values: flags } = parseCommandArgs(argv, { events: { type: 'string', default: DEFAULT_EVENTS_FILE }, all: { type: 'boolean' } });
  const file = flags.events;
  const traces = await readEventsFile(file);
  let explained = 0;
  for (const t of traces) {
    const alias = (id: string | undefined) => (id ? (t.workerAliases[id] ?? id) : '');
    const jobs = jobFacts(t.events);
    const shown = flags.all ? jobs : jobs.filter((j) => !ranNormally(j));
    out(`${t.name}${t.status ? ` [${t.status}]` : ''}: ${jobs.length} job(s), ${jobs.length - jobs.filter((j) => !ranNormally(j)).length} ran normally\n`);
    for (const j of shown) out(`  ${describeJob(j, alias)}\n`);
    explained += shown.length;
  }
  if (traces.length === 0) out(`${file} holds no trace events\n`);
  else if (explained === 0) out('every job ran normally\n');
  out(
    'Note: a real livekit-server does not report jobs it never offered; on a wire-tap trace, dropped jobs are missing rather than explained.\n',
  );
  return 0;
}
