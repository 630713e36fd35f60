import { runScenario } from '../scenarios/engine/run-scenario.ts';
import type { ScenarioResult } from '../scenarios/engine/result.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { startMockServer } from '../mock-server/index.ts';
import { resolveTiming } from '../mock-server/config/timing.ts';
import { startLiveKitServer } from '../targets/livekit-binary.ts';
import { compareOutcomes, unexpectedDifferences } from './compare.ts';
import { normalizeTrace } from './normalize.ts';
import type { Difference } from './outcome.ts';

export interface DifferentialResult {
  name: string;
  file: string;
  mock: ScenarioResult;
  real: ScenarioResult;
  differences: Difference[];
  unexpected: Difference[];
  /** The mock passed its own expectations and the outcome-level traces agree. */
  agrees: boolean;
}

/**
 * Runs one scenario on the mock (real timing, so timeouts fall the same way) and on a fresh
 * livekit-server v1.13.5, then compares what workers saw. The real run keeps going past expectations
 * it cannot observe (drop reasons exist only in the mock), so both runs perform every step.
 */
export async function runDifferential(file: string): Promise<DifferentialResult> {
  const scenario = await loadScenarioFile(file);
  const mockTarget = await startMockServer({ port: 0, timing: resolveTiming('real'), seed: scenario.seed ?? 1 });
  let mock: ScenarioResult;
  try {
    mock = await runScenario(scenario, { target: mockTarget });
  } finally {
    await mockTarget.dispose();
  }
  const realTarget = await startLiveKitServer();
  let real: ScenarioResult;
  try {
    real = await runScenario(scenario, { target: realTarget, continueOnFailure: true });
  } finally {
    await realTarget.dispose();
  }
  const differences = compareOutcomes(normalizeTrace(mock.events), normalizeTrace(real.events));
  const unexpected = unexpectedDifferences(differences);
  return { name: scenario.name, file, mock, real, differences, unexpected, agrees: mock.status === 'passed' && unexpected.length === 0 };
}
