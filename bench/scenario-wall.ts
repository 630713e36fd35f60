/**
 * Item 6 probe, run as a child of bench/run.ts: `tsx bench/scenario-wall.ts mock|livekit|livekit-all`.
 * Runs the whole scenario library (scenarios/library), one fresh target per scenario, and prints one JSON
 * line: the wall time and, per scenario, its status, its wall time (target start and stop included) and
 * each step's time.
 * - mock: the fast preset, the way users run the library (`dispatch-lab run`).
 * - livekit: the real server as `dispatch-lab run --against livekit` does; scenarios with mock-only
 *   expectations are skipped ("needs"), so its total is not comparable.
 * - livekit-all: the real server performing every step, as the differential check does (continueOnFailure):
 *   like with like. Expectations it cannot observe (drop reasons and other mock-only facts) fail there after
 *   waiting out their `within`; those waits are reported apart, so both the raw total and the total without
 *   them can be compared.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../targets/livekit-server-binary-path.ts';
import { collectScenarioFiles, runScenarios } from '../scenarios/runner.ts';
import { runScenario } from '../scenarios/engine/run-scenario.ts';
import { StepRunner } from '../scenarios/engine/step-runner.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { expandRuntimes } from '../scenarios/runtime-matrix.ts';
import { openTarget } from '../scenarios/targets.ts';

export interface StepTime {
  kind: string;
  ms: number;
  ok: boolean;
}
export interface ScenarioWall {
  name: string;
  status: string;
  /** the runner's own duration (steps only) */
  durationMs: number;
  /** target start + steps + target stop */
  wallMs: number;
  steps: StepTime[];
}

// The runner exposes no per-step timings; the probe wraps StepRunner.run to see where the time goes.
let steps: StepTime[] = [];
const run = StepRunner.prototype.run;
StepRunner.prototype.run = async function (this: StepRunner, step: Parameters<typeof run>[0]) {
  const t0 = performance.now();
  const kind = Object.keys(step)[0] ?? '?';
  try {
    await run.call(this, step);
    steps.push({ kind, ms: performance.now() - t0, ok: true });
  } catch (e) {
    steps.push({ kind, ms: performance.now() - t0, ok: false });
    throw e;
  }
};

const against = process.argv[2] ?? 'mock';
const files = await collectScenarioFiles([join(REPO_ROOT, 'scenarios', 'library')]);
const scenarios: ScenarioWall[] = [];
const t0 = performance.now();
if (against === 'livekit-all') {
  // a file with a `runtimes:` matrix is one scenario per runtime, as runScenarios counts it
  const all = (await Promise.all(files.map(async (f) => expandRuntimes(await loadScenarioFile(f))))).flat();
  for (const scenario of all) {
    steps = [];
    const s0 = performance.now();
    const target = await openTarget(scenario, { against: 'livekit' });
    try {
      const r = await runScenario(scenario, { target, continueOnFailure: true });
      scenarios.push({ name: r.name, status: r.status, durationMs: r.durationMs, wallMs: 0, steps });
    } finally {
      await target.dispose();
    }
    scenarios.at(-1)!.wallMs = performance.now() - s0;
  }
} else {
  let s0 = 0;
  await runScenarios(files, {
    against,
    onStart: () => {
      steps = [];
      s0 = performance.now();
    },
    onResult: (r) => scenarios.push({ name: r.name, status: r.status, durationMs: r.durationMs, wallMs: performance.now() - s0, steps }),
  });
}
const wallMs = performance.now() - t0;
process.stdout.write(`@@bench ${JSON.stringify({ against, wallMs, scenarios })}\n`);
process.exit(0);
