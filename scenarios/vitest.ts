/**
 * `livekit-dispatch-lab/vitest`: scenarios inside your own Vitest suites.
 *
 *   import { useMockServer, scenarioTest, expectScenario, defineScenario } from 'livekit-dispatch-lab/vitest';
 *   scenarioTest('scenarios/library/09-job-type-mismatch-room-worker.yaml'); // its own fresh mock
 *   const mock = useMockServer();                                          // one mock for this file
 *   it('my case', () => expectScenario(defineScenario({ ... }), mock.target));
 */
import { afterAll, beforeAll, it } from 'vitest';
import { resolveTiming, type TimingPreset, type TimingSettings } from '../mock-server/config/timing.ts';
import { startMockServer, type StartedMockServer } from '../mock-server/index.ts';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { runScenario } from './engine/run-scenario.ts';
import type { ScenarioResult } from './engine/result.ts';
import { loadScenarioFile } from './load.ts';
import type { Scenario } from './model.ts';
import { runOne } from './runner.ts';

export { defineScenario, parseScenario, loadScenarioFile } from './load.ts';
export type { Scenario, Step, Expectation, WorkerSpec } from './model.ts';
export type { ScenarioResult } from './engine/result.ts';
export type { LiveKitTarget } from '../targets/livekit-target.ts';

export interface UseMockOptions {
  timing?: TimingPreset | Partial<TimingSettings>;
  seed?: number;
}

/** Starts one mock for the calling test file (beforeAll) and closes it afterwards (afterAll). */
export function useMockServer(opts: UseMockOptions = {}): { readonly target: StartedMockServer } {
  let server: StartedMockServer | undefined;
  beforeAll(async () => {
    const timing = typeof opts.timing === 'object' ? resolveTiming('fast', opts.timing) : (opts.timing ?? 'fast');
    server = await startMockServer({ port: 0, host: '127.0.0.1', timing, seed: opts.seed ?? 1 });
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get target() {
      if (!server) throw new Error('useMockServer(): the mock starts in beforeAll; use .target inside a test');
      return server;
    },
  };
}

/** Fails (with what was expected, what was seen and the trace) unless the scenario passed. */
export function assertPassed(r: ScenarioResult): ScenarioResult {
  if (r.status !== 'passed') throw new Error(`scenario "${r.name}" ${r.status}:\n${r.message ?? ''}`);
  return r;
}

/**
 * Runs a scenario (object or file) and asserts it passed. Without a target it gets a fresh mock with its own
 * `timing:`; on a shared target the scenario's timing cannot apply, and its room names must be unique.
 */
export async function expectScenario(scenario: Scenario | string, target?: LiveKitTarget): Promise<ScenarioResult> {
  if (!target) return assertPassed(await runOne(scenario));
  const s = typeof scenario === 'string' ? await loadScenarioFile(scenario) : scenario;
  return assertPassed(await runScenario(s, { target }));
}

/** One Vitest test per scenario file, named after the scenario's file; each runs on its own fresh mock. */
export function scenarioTest(file: string, opts: { timeoutMs?: number } = {}): void {
  it(`scenario ${file}`, async () => void (await expectScenario(file)), opts.timeoutMs ?? 60_000);
}
