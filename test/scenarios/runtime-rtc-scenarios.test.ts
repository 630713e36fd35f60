import { afterAll, beforeAll, describe, it } from 'vitest';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import type { RtcVariantResult } from './drivers/runtime-rtc-driver.ts';
import { needsRooms, runsOnLiveKit, runtimeVariants } from './runtime-scenario-cases.ts';
import { guardNetns } from '../support/netns-guard.ts';

const all = await runtimeVariants();
const variants = all.filter(needsRooms).map(({ file, scenario }) => ({ f: file, v: scenario }));
const mediaVariants = all.filter((v) => needsRooms(v) && runsOnLiveKit(v)).map(({ file, scenario }) => ({ f: file, v: scenario }));

// Agents that join rooms need WebRTC with ICE, and libwebrtc gathers no loopback candidates: these scenarios run
// in one driver process inside a private network namespace (root + unshare -n + a veth pair), where the mock
// binds the veth address. CI runs as root; there a missing namespace is a failure, never a skip.
/** The variants' results from one driver run in a namespace, on the mock or on livekit-server. */
function defineRtcScenarioTests(title: string, cases: { f: string; v: { runtime?: string } }[], against: 'mock' | 'livekit'): void {
  describe(title, () => {
    const unavailable = netnsUnavailableReason();
    let results: Promise<RtcVariantResult[]> | undefined;

    beforeAll(() => {
      if (unavailable || !cases.length) return;
      const files = [...new Set(cases.map(({ f }) => f))].join(',');
      // one driver runs every variant in turn (20 on the mock, ~190 s for 16 on a loaded 2-core machine): room to spare
      const run = runInNetns(new URL('./drivers/runtime-rtc-driver.ts', import.meta.url), {
        env: { LAB_RTC_SCENARIOS: files, LAB_RTC_AGAINST: against, DRIVER_TIMEOUT_MS: '580000' },
        timeoutMs: 600_000,
      });
      results = run.result as Promise<RtcVariantResult[]>;
      results.catch(() => undefined); // reported by each test
    });
    afterAll(() => killNetnsRuns());

    guardNetns(unavailable, 'runtime rtc scenarios');

    for (const { f, v } of unavailable ? [] : cases) {
      it(`${f} [${v.runtime}]`, async () => {
        const r = (await results!).find((x) => x.file === f && x.runtime === v.runtime);
        if (!r) throw new Error(`the driver reported no result for ${f} [${v.runtime}]`);
        if (r.status !== 'passed') throw new Error(`${r.status}: ${r.message}`);
      }, 600_000);
    }
  });
}

defineRtcScenarioTests('runtime scenarios that join rooms (inside a network namespace)', variants, 'mock');
// the same media scenarios on livekit-server v1.13.5: what the agent hears and the user receives agrees with the mock
defineRtcScenarioTests('runtime scenarios with media clients on livekit-server v1.13.5 (inside a network namespace)', mediaVariants, 'livekit');
