import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { requirementsOf } from '../../scenarios/requirements.ts';
import { runOne } from '../../scenarios/runner.ts';
import { expandRuntimes } from '../../scenarios/runtime-matrix.ts';

const FOLDER = join(import.meta.dirname, '../../scenarios/runtimes');
const files = readdirSync(FOLDER).filter((f) => f.endsWith('.yaml')).sort();
// Scenarios whose agents join rooms need ICE; runtime-rtc-scenarios.test.ts runs them inside a network namespace.
const variants = (
  await Promise.all(files.map(async (f) => expandRuntimes(await loadScenarioFile(join(FOLDER, f))).map((v) => ({ f, v }))))
).flat();
const plain = variants.filter(({ v }) => !requirementsOf(v).includes('rtc'));

// The seed promises on the real runtimes (agents-js 1.9.0 and livekit-agents 1.8.9), one test per runtime
// variant, each on a fresh mock. A missing runtime fails here with "needs …", it is never skipped.
describe('runtime scenarios against the mock (real Node and Python workers)', () => {
  it('covers both runtimes', () => {
    expect(new Set(plain.map(({ v }) => v.runtime))).toEqual(new Set(['node', 'python']));
  });
  for (const { f, v } of plain) {
    it(`${f} [${v.runtime}]`, async () => {
      const r = await runOne(join(FOLDER, f), { against: 'mock', timing: 'fast', runtime: v.runtime });
      if (r.status !== 'passed') throw new Error(`${r.status}: ${r.message}`);
    }, 150_000);
  }
});
