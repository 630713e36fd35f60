import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/load.ts';
import type { RuntimeName, Scenario } from '../../scenarios/model.ts';
import { requirementsOf } from '../../scenarios/requirements.ts';
import { runOne } from '../../scenarios/runner.ts';
import { expandRuntimes } from '../../scenarios/runtime-matrix.ts';

export const RUNTIME_SCENARIOS = join(import.meta.dirname, '../../scenarios/runtimes');

export interface Variant {
  file: string;
  scenario: Scenario;
}

/** Every runtime variant of every file in scenarios/runtimes/ (a `runtimes:` matrix gives one per runtime). */
export async function runtimeVariants(): Promise<Variant[]> {
  const files = readdirSync(RUNTIME_SCENARIOS).filter((f) => f.endsWith('.yaml')).sort();
  const loaded = await Promise.all(files.map(async (file) => expandRuntimes(await loadScenarioFile(join(RUNTIME_SCENARIOS, file))).map((scenario) => ({ file, scenario }))));
  return loaded.flat();
}

export const needsRooms = (v: Variant) => requirementsOf(v.scenario).includes('rtc');
/** Scenarios whose participants are real WebRTC clients: they run on livekit-server too (the media differential). */
const usesMediaClients = (v: Variant) => requirementsOf(v.scenario).includes('media-clients');
/** Media scenarios that need no mock-only control (a `fault` step needs lab-control) run on livekit-server too. */
export const runsOnLiveKit = (v: Variant) => usesMediaClients(v) && !requirementsOf(v.scenario).includes('lab-control');

/**
 * One test per variant of this runtime that does not join rooms, each on a fresh mock. A missing runtime fails
 * with "needs …", it is never skipped. One file per runtime, so Vitest runs the two runtimes in parallel.
 */
export async function defineRuntimeScenarioTests(runtime: RuntimeName): Promise<number> {
  const mine = (await runtimeVariants()).filter((v) => v.scenario.runtime === runtime && !needsRooms(v));
  for (const { file } of mine) {
    it(`${file} [${runtime}]`, async () => {
      const r = await runOne(join(RUNTIME_SCENARIOS, file), { against: 'mock', timing: 'fast', runtime });
      if (r.status !== 'passed') throw new Error(`${r.status}: ${r.message}`);
    }, 150_000);
  }
  return mine.length;
}
