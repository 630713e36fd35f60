// Runs the differential for scenarios that publish tracks, inside the test network namespace: the mock and
// livekit-server v1.13.5 both bind the namespace's veth address, and both get rtc-node media participants
// (real WebRTC publishers; runDifferential's default for a scenario that publishes on a non-loopback host), so
// each side sees the same clients. Reports one result per scenario.
import { formatDiff } from '../../../differential/format.ts';
import { runDifferential } from '../../../differential/run-differential.ts';
import { runDriver, serverAddress } from '../../rtc/drivers/driver-kit.ts';

export interface PublishDiffResult {
  file: string;
  mockStatus: string;
  /** The participant driver the real server got (media participants, or why not). */
  participants: string;
  mediaUnavailable?: string;
  mockMessage?: string;
  realMessage?: string;
  unexpected: number;
  diff: string;
  durationMs: number;
}

runDriver(async () => {
  const files = (process.env.LAB_DIFF_SCENARIOS ?? '').split(',').filter(Boolean);
  const results: PublishDiffResult[] = [];
  for (const file of files) {
    const started = Date.now();
    const r = await runDifferential(file, { host: serverAddress() });
    results.push({
      file,
      mockStatus: r.mock.status,
      participants: r.participants,
      mediaUnavailable: r.mediaUnavailable,
      mockMessage: r.mock.message,
      realMessage: r.real.message,
      unexpected: r.unexpected.length,
      diff: formatDiff(r.differences),
      durationMs: Date.now() - started,
    });
  }
  return results;
});
