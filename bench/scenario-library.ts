/**
 * Item 6: the scenario library's wall time, mock (fast preset, as users run it) vs livekit-server v1.13.5
 * performing every step (the differential runner's mode). Each run is a child process (bench/scenario-wall.ts)
 * so its timers and workers cannot disturb the bench process. Rows: totals, totals without the real server's
 * failed waits, and one row per scenario with its ratio.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { killGroup } from '../targets/process-group.ts';
import { REPO_ROOT } from '../targets/livekit-server-binary-path.ts';
import { agg } from './lib/stats.ts';
import type { Row } from './report.ts';
import type { ScenarioWall } from './scenario-wall.ts';

export interface LibraryRun {
  against: string;
  wallMs: number;
  scenarios: ScenarioWall[];
}

export async function runLibrary(against: 'mock' | 'livekit-all', log: (...a: unknown[]) => void): Promise<LibraryRun> {
  log(`scenario library against ${against}`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'scenario-wall.ts'), against], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 25 * 60_000);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearTimeout(timer);
  killGroup(child.pid!, 'SIGKILL');
  const line = out.split('\n').find((l) => l.startsWith('@@bench '));
  if (!line) throw new Error(`scenario run against ${against} exited with ${code} and no result`);
  return JSON.parse(line.slice('@@bench '.length)) as LibraryRun;
}

const failedWaitMs = (s: ScenarioWall) => s.steps.filter((x) => !x.ok).reduce((a, x) => a + x.ms, 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function libraryRows(mock: LibraryRun, real: LibraryRun | undefined): Row[] {
  const section = 'Scenario library';
  const rows: Row[] = [];
  const realOf = (name: string) => real?.scenarios.find((s) => s.name === name);
  const v = (m: number, r: number | undefined) => ({ mockFast: agg([m]), real: r === undefined ? undefined : agg([r]) });
  rows.push({
    section,
    metric: `scenario library wall time, ${mock.scenarios.length} scenarios, one fresh target each (mock: fast preset; real: every step performed, as the differential runner does)`,
    unit: 'ms',
    values: v(mock.wallMs, real?.wallMs),
    ratio: true,
    target: { op: '≤', value: 0.1, on: 'ratio' },
  });
  if (real) {
    const realFailed = sum(real.scenarios.map(failedWaitMs));
    rows.push({
      section,
      metric: `the same without the real server's failed expectations (mock-only facts it cannot show, waited out for ${Math.round(realFailed / 1000)} s in all)`,
      unit: 'ms',
      values: v(mock.wallMs - sum(mock.scenarios.map(failedWaitMs)), real.wallMs - realFailed),
      ratio: true,
    });
    const waits = (r: LibraryRun) => sum(r.scenarios.flatMap((s) => s.steps.filter((x) => x.ok && (x.kind === 'wait' || x.kind === 'expect')).map((x) => x.ms)));
    rows.push({ section, metric: 'of which passed `wait` and `expect` steps (time the scenario spends waiting for the server)', unit: 'ms', values: v(waits(mock), waits(real)), ratio: true });
    rows.push({ section, metric: 'scenarios whose every expectation held', unit: 'count', values: v(count(mock, 'passed'), count(real, 'passed')) });
  }
  for (const s of mock.scenarios) {
    const r = realOf(s.name);
    const note = r && failedWaitMs(r) > 0 ? ` (real: ${Math.round(failedWaitMs(r))} ms in failed expectations)` : '';
    rows.push({ section: `${section}, per scenario`, metric: `${s.name}${note}`, unit: 'ms', values: v(s.wallMs, r?.wallMs), ratio: true });
  }
  return rows;
}

const count = (r: LibraryRun, status: string) => r.scenarios.filter((s) => s.status === status).length;
