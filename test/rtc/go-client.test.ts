import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { guardNetns } from '../support/netns-guard.ts';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import type { GoDataResult } from './drivers/go-data.ts';

const BUILD = fileURLToPath(new URL('../go-client/build.sh', import.meta.url));

/** Builds the Go client (Go toolchain + the Go module proxy or a warm module cache); the reason when it cannot. */
function buildGoClient(): { binary?: string; reason?: string } {
  if (spawnSync('sh', ['-c', 'command -v go']).status !== 0) return { reason: 'the Go test client needs `go` on PATH' };
  const binary = join(mkdtempSync(join(tmpdir(), 'lab-go-')), 'go-client');
  const r = spawnSync(BUILD, [binary], { encoding: 'utf8', timeout: 300_000 });
  return r.status === 0 ? { binary } : { reason: `cannot build test/go-client: ${(r.stderr || r.error?.message || '').trim().slice(-400)}` };
}

describe('a Go client (server-sdk-go v2.19.0, pion) exchanges data and gets audio from a Node client through the mock (inside a private network namespace)', () => {
  const netns = netnsUnavailableReason();
  const built = netns ? {} : buildGoClient();
  const skip = netns ?? built.reason;
  guardNetns(skip, 'Go client tests');
  afterEach(() => killNetnsRuns());
  // one run of the driver (data, then audio) answers both tests
  let run: Promise<GoDataResult> | undefined;
  const goRun = () => (run ??= runInNetns(new URL('./drivers/go-data.ts', import.meta.url), { timeoutMs: 160_000, env: { GO_CLIENT: built.binary!, DRIVER_TIMEOUT_MS: '150000' } }).result as Promise<GoDataResult>);

  it.skipIf(!!skip)(
    "data both ways on /rtc (v0): the server writes on the client-opened channels, and pion accepts the mock's trickle",
    async () => {
      const r = await goRun();
      expect(r.goGot).toEqual([{ payload: 'hello-go', from: 'alice' }]);
      expect(r.nodeGot).toEqual(['gopher:hello-node']);
      expect(r.iceErrors).toEqual([]);
    },
    180_000,
  );

  it.skipIf(!!skip)(
    'audio on /rtc (v0): subscriber_primary, the server offers a subscriber PeerConnection, the Go client gets the track with its sid and Opus RTP',
    async () => {
      const r = await goRun();
      expect(r.goTracks).toEqual([{ sid: r.published, from: 'alice', mime: 'audio/opus' }]);
      expect(r.goRtpPackets).toBeGreaterThanOrEqual(100);
    },
    180_000,
  );
});
