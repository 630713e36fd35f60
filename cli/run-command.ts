import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ScenarioResult } from '../scenarios/engine/result.ts';
import { UsageError } from '../scenarios/errors.ts';
import { htmlReport } from '../scenarios/report/html-report.ts';
import { junitXml } from '../scenarios/report/junit.ts';
import { collectScenarioFiles, runScenarios, type RunSummary } from '../scenarios/runner.ts';
import { checkAgainst } from '../scenarios/targets.ts';
import { oneOf, parseCommandArgs } from './args.ts';
import { DEFAULT_EVENTS_FILE, writeEventsFile } from './events-file.ts';

const LABEL: Record<ScenarioResult['status'], string> = { passed: 'PASS', failed: 'FAIL', needs: 'NEEDS', invalid: 'INVALID' };

/** `dispatch-lab run`: each scenario on a fresh target, a line per scenario, a summary, reports; 0 only when all pass. */
export async function runScenariosCommand(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { positionals, values: flags } = parseCommandArgs(
    argv,
    {
      against: { type: 'string', default: 'mock' },
      host: { type: 'string' },
      report: { type: 'string' },
      junit: { type: 'string' },
      events: { type: 'string', default: DEFAULT_EVENTS_FILE },
      timing: { type: 'string', default: 'fast' },
      'allow-needs': { type: 'boolean', default: false },
      runtime: { type: 'string' },
    },
    { positionals: true },
  );
  if (positionals.length === 0) throw new UsageError('give at least one scenario file or folder (e.g. dispatch-lab run scenarios/library)');
  const timing = oneOf('timing', flags.timing, ['fast', 'real']);
  const runtime = flags.runtime === undefined ? undefined : oneOf('runtime', flags.runtime, ['node', 'python']);
  const against = checkAgainst(flags.against);
  const { host } = flags;
  if (host !== undefined && /:\/\//.test(against)) throw new UsageError('--host is for the servers the lab starts (--against mock, livekit or container)');
  const files = await collectScenarioFiles(positionals);
  if (files.length === 0) throw new UsageError(`no .yaml scenario files under ${positionals.join(', ')}`);
  out(`dispatch-lab: ${files.length} scenario(s) against ${against}\n`);
  const width = String(files.length).length;
  const summary = await runScenarios(files, {
    against,
    host,
    timing,
    runtimes: runtime ? [runtime] : undefined,
    onResult: (r, i, n) => {
      out(`[${String(i + 1).padStart(width)}/${n}] ${LABEL[r.status].padEnd(7)} ${r.name}  (${(r.durationMs / 1000).toFixed(1)} s)\n`);
      if (r.status !== 'passed' && r.message) out(`${indent(r.message)}\n`);
    },
  });
  out(`\n${summaryTable(summary)}\n`);
  await writeEventsFile(flags.events, summary.results);
  if (flags.report !== undefined) await writeOut(flags.report, htmlReport(summary), out, 'report');
  if (flags.junit !== undefined) await writeOut(flags.junit, junitXml(summary), out, 'JUnit XML');
  const failing = summary.results.filter((r) => r.status === 'failed' || r.status === 'invalid' || (r.status === 'needs' && !flags['allow-needs']));
  return failing.length === 0 ? 0 : 1;
}

export function summaryTable(s: RunSummary): string {
  const nameW = Math.max(8, ...s.results.map((r) => r.name.length));
  const lines = [`${'result'.padEnd(8)}${'scenario'.padEnd(nameW + 2)}time`];
  for (const r of s.results) lines.push(`${LABEL[r.status].padEnd(8)}${r.name.padEnd(nameW + 2)}${(r.durationMs / 1000).toFixed(1)} s${r.status === 'needs' ? `  (${r.missing?.join('; ')})` : ''}`);
  const n = (st: ScenarioResult['status']) => s.results.filter((r) => r.status === st).length;
  lines.push('');
  lines.push(`${s.results.length} scenario(s): ${n('passed')} passed, ${n('failed')} failed, ${n('needs')} need something, ${n('invalid')} invalid (${(s.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}

const indent = (s: string) => s.split('\n').map((l) => `        ${l}`).join('\n');

async function writeOut(file: string, content: string, out: (s: string) => void, what: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
  out(`${what} written to ${file}\n`);
}
