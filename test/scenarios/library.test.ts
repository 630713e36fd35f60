import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { runOne } from '../../scenarios/runner.ts';
import { expandRuntimes } from '../../scenarios/runtime-matrix.ts';

const LIBRARY = join(import.meta.dirname, '../../scenarios/library');
const yaml = (dir: string) => readdirSync(join(LIBRARY, dir)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
// telephony/ is its own folder: its scenarios drive the mock's simulated SIP bridge, which the real server's
// differential run (test/differential/library-files.ts reads the top level only) cannot compare.
const files = [...yaml('.'), ...yaml('telephony')];
// a file with a `runtimes:` matrix is one test per runtime
const variants = (await Promise.all(files.map(async (f) => expandRuntimes(await loadScenarioFile(join(LIBRARY, f))).map((v) => ({ f, runtime: v.runtime }))))).flat();

// Every library scenario against the in-process mock with fast timing. A scenario whose requirements are
// missing (an agent runtime) fails here with "needs …" rather than being skipped.
describe('scenario library against the mock', () => {
  it('holds the cases the issues list', () => {
    expect(files.length).toBeGreaterThanOrEqual(31);
    expect(yaml('telephony').length).toBe(6);
  });
  for (const { f, runtime } of variants) {
    it(runtime ? `${f} [${runtime}]` : f, async () => {
      const r = await runOne(join(LIBRARY, f), { against: 'mock', timing: 'fast', runtime });
      if (r.status !== 'passed') throw new Error(`${r.status}: ${r.message}`);
      expect(r.events.length).toBeGreaterThan(0);
    }, 90_000);
  }
});
