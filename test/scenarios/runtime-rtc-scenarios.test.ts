import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { requirementsOf } from '../../scenarios/requirements.ts';
import { expandRuntimes } from '../../scenarios/runtime-matrix.ts';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import type { RtcVariantResult } from './drivers/runtime-rtc-driver.ts';

const FOLDER = join(import.meta.dirname, '../../scenarios/runtimes');
const variants = (
  await Promise.all(
    readdirSync(FOLDER)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map(async (f) => expandRuntimes(await loadScenarioFile(join(FOLDER, f))).map((v) => ({ f, v }))),
  )
)
  .flat()
  .filter(({ v }) => requirementsOf(v).includes('rtc'));

// Agents that join rooms need WebRTC with ICE, and libwebrtc gathers no loopback candidates: these scenarios run
// in one driver process inside a private network namespace (root + unshare -n + a veth pair), where the mock
// binds the veth address. CI runs as root; there a missing namespace is a failure, never a skip.
describe('runtime scenarios that join rooms (inside a network namespace)', () => {
  const unavailable = netnsUnavailableReason();
  let results: Promise<RtcVariantResult[]> | undefined;

  beforeAll(() => {
    if (unavailable) return;
    const files = [...new Set(variants.map(({ f }) => f))].join(',');
    const run = runInNetns(new URL('./drivers/runtime-rtc-driver.ts', import.meta.url), {
      env: { LAB_RTC_SCENARIOS: files, DRIVER_TIMEOUT_MS: '280000' },
      timeoutMs: 300_000,
    });
    results = run.result as Promise<RtcVariantResult[]>;
    results.catch(() => undefined); // reported by each test
  });
  afterAll(() => killNetnsRuns());

  if (unavailable && !process.env.CI) it.skip(`needs a network namespace: ${unavailable}`, () => undefined);
  if (unavailable && process.env.CI) it('can create a network namespace (CI runs as root)', () => void assertNever(unavailable));

  for (const { f, v } of unavailable ? [] : variants) {
    it(`${f} [${v.runtime}]`, async () => {
      const r = (await results!).find((x) => x.file === f && x.runtime === v.runtime);
      if (!r) throw new Error(`the driver reported no result for ${f} [${v.runtime}]`);
      if (r.status !== 'passed') throw new Error(`${r.status}: ${r.message}`);
    }, 300_000);
  }
});

function assertNever(reason: string): never {
  throw new Error(`the WebRTC scenarios cannot run: ${reason}`);
}
