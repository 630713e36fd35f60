import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import type { PublishDiffResult } from './drivers/publish-diff-driver.ts';
import { LIBRARY, libraryByMedia } from './library-files.ts';
import { guardNetns } from '../support/netns-guard.ts';

const { publishing } = await libraryByMedia();

// Scenarios that publish tracks, mock vs livekit-server v1.13.5. The real server counts a track only once media
// flows, so both sides get rtc-node media participants; libwebrtc gathers no loopback ICE candidates, so the
// whole run (both servers and the clients) lives in a private network namespace, bound to its veth address.
// CI runs as root: there a namespace that cannot be created fails, it is never skipped.
describe('differential: publishing scenarios, mock vs livekit-server v1.13.5 (inside a network namespace)', () => {
  const unavailable = netnsUnavailableReason();
  let results: Promise<PublishDiffResult[]> | undefined;

  beforeAll(() => {
    if (unavailable) return;
    const run = runInNetns(new URL('./drivers/publish-diff-driver.ts', import.meta.url), {
      env: { LAB_DIFF_SCENARIOS: publishing.map((f) => join(LIBRARY, f)).join(','), DRIVER_TIMEOUT_MS: String(60_000 * publishing.length) },
      timeoutMs: 60_000 * publishing.length + 10_000,
    });
    results = run.result as Promise<PublishDiffResult[]>;
    results.catch(() => undefined); // reported by each test
  });
  afterAll(() => killNetnsRuns());

  it('finds the library scenarios that publish', () => expect(publishing.length).toBeGreaterThan(0));
  guardNetns(unavailable, 'publishing differential');

  for (const file of unavailable ? [] : publishing) {
    it(file, async () => {
      const r = (await results!).find((x) => x.file === join(LIBRARY, file));
      if (!r) throw new Error(`the driver reported no result for ${file}`);
      expect(r.participants, r.mediaUnavailable).toBe('media (rtc-node)');
      expect(r.mockStatus, r.mockMessage).toBe('passed');
      expect(r.unexpected, r.diff).toBe(0);
    }, 120_000);
  }
});
