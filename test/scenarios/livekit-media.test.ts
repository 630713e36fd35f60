import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOne } from '../../scenarios/runner.ts';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import type { CliRunResult } from './drivers/cli-livekit-media-driver.ts';
import { guardNetns } from '../support/netns-guard.ts';

const PUBLISHING = join(import.meta.dirname, '../../scenarios/library/08-publisher-first-publish-only.yaml');

// A scenario that publishes, run against livekit-server v1.13.5: media participants (rtc-node) where WebRTC can
// work, a clear "needs media" where it cannot (a server on 127.0.0.1: libwebrtc gathers no loopback candidates).
describe('--against livekit with a scenario that publishes', () => {
  afterAll(() => killNetnsRuns());

  it('on 127.0.0.1 reports that it needs media, and why', async () => {
    const r = await runOne(PUBLISHING, { against: 'livekit' });
    expect(r.status).toBe('needs');
    expect(r.missing?.join('\n')).toMatch(/^media \(.*no loopback ICE candidates.*--host/);
  }, 60_000);

  const unavailable = netnsUnavailableReason();
  guardNetns(unavailable, 'media participant run');
  if (!unavailable) {
    it('inside a network namespace (--host on its veth address) it publishes with media participants, passes and exits', async () => {
      const run = runInNetns(new URL('./drivers/cli-livekit-media-driver.ts', import.meta.url), { timeoutMs: 60_000, env: { DRIVER_TIMEOUT_MS: '50000' } });
      const r = (await run.result) as CliRunResult;
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/1 scenario\(s\): 1 passed/);
    }, 70_000);
  }
});
