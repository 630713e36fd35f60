import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOne } from '../../scenarios/runner.ts';

const LIBRARY = join(import.meta.dirname, '../../scenarios/library');
const files = readdirSync(LIBRARY).filter((f) => f.endsWith('.yaml')).sort();

// Every library scenario against the in-process mock with fast timing. A scenario whose requirements are
// missing (an agent runtime) fails here with "needs …" rather than being skipped.
describe('scenario library against the mock', () => {
  it('holds the cases the issue lists', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });
  for (const f of files) {
    it(f, async () => {
      const r = await runOne(join(LIBRARY, f), { against: 'mock', timing: 'fast' });
      if (r.status !== 'passed') throw new Error(`${r.status}: ${r.message}`);
      expect(r.events.length).toBeGreaterThan(0);
    }, 90_000);
  }
});
