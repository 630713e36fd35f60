import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TimingPreset } from '../mock-server/config/timing.ts';
import type { ScenarioResult } from '../scenarios/engine/result.ts';
import { UsageError } from '../scenarios/errors.ts';
import { htmlReport } from '../scenarios/report/html-report.ts';
import { junitXml } from '../scenarios/report/junit.ts';
import { collectScenarioFiles, runScenarios, type RunSummary } from '../scenarios/runner.ts';
import { parseArgs } from './args.ts';
import { DEFAULT_EVENTS_FILE, writeEventsFile } from './events-file.ts';
import { RUN_HELP } from './help.ts';

const LABEL: Record<ScenarioResult['status'], string> = { passed: 'PASS', failed: 'FAIL', needs: 'NEEDS', invalid: 'INVALID' };

export async function runRun(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { positional, flags } = parseArgs(argv, ['against', 'host', 'report', 'junit', 'events', 'timing'], ['allow-needs', 'help']);
  if (flags.help) return out(RUN_HELP), 0;
  if (positional.length === 0) throw new UsageError('give at least one scenario file or folder (e.g. dispatch-lab run scenarios/library)');
  const timing = (flags.timing ?? 'fast') as string;
  if (timing !== 'fast' && timing !== 'real') throw new UsageError(`--timing must be fast or real; got "${timing}"`);
  const files = await collectScenarioFiles(positional);
  if (files.length === 0) throw new UsageError(`no .yaml scenario files under ${positional.join(', ')}`);
  const against = (flags.against as string | undefined) ?? 'mock';
  if (!isAgainst(against)) throw new UsageError(`--against must be mock, livekit, container or a ws://, wss://, http:// or https:// URL; got "${against}"`);
  out(`dispatch-lab: ${files.length} scenario(s) against ${against}\n`);
  const width = String(files.length).length;
  const host = flags.host as string | undefined;
  if (host !== undefined && /:\/\//.test(against)) throw new UsageError('--host is for the servers the lab starts (--against mock, livekit or container)');
  const summary = await runScenarios(files, {
    against,
    host,
    timing: timing as TimingPreset,
    onResult: (r, i, n) => {
      out(`[${String(i + 1).padStart(width)}/${n}] ${LABEL[r.status].padEnd(7)} ${r.name}  (${(r.durationMs / 1000).toFixed(1)} s)\n`);
      if (r.status !== 'passed' && r.message) out(`${indent(r.message)}\n`);
    },
  });
  out(`\n${summaryTable(summary)}\n`);
  await writeEventsFile((flags.events as string | undefined) ?? DEFAULT_EVENTS_FILE, summary.results);
  if (typeof flags.report === 'string') await writeOut(flags.report, htmlReport(summary), out, 'report');
  if (typeof flags.junit === 'string') await writeOut(flags.junit, junitXml(summary), out, 'JUnit XML');
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

const isAgainst = (a: string) => a === 'mock' || a === 'livekit' || a === 'container' || /^(wss?|https?):\/\//.test(a);

const indent = (s: string) => s.split('\n').map((l) => `        ${l}`).join('\n');

async function writeOut(file: string, content: string, out: (s: string) => void, what: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
  out(`${what} written to ${file}\n`);
}
