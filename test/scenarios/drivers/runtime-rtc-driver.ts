// Runs the runtime scenarios that need rooms (requires: rtc) inside the test network namespace, with the
// mock bound to the namespace's veth address so the agents' WebRTC (ICE) works. Reports one result per variant.
import { join } from 'node:path';
import { loadScenarioFile } from '../../../scenarios/load.ts';
import { requirementsOf } from '../../../scenarios/requirements.ts';
import { runOne } from '../../../scenarios/runner.ts';
import { expandRuntimes } from '../../../scenarios/runtime-matrix.ts';
import { runDriver, serverAddress } from '../../rtc/drivers/driver-kit.ts';

export interface RtcVariantResult {
  file: string;
  runtime: string;
  status: string;
  message?: string;
  durationMs: number;
}

runDriver(async () => {
  const folder = join(import.meta.dirname, '../../../scenarios/runtimes');
  const files = (process.env.LAB_RTC_SCENARIOS ?? '').split(',').filter(Boolean);
  const only = process.env.LAB_RTC_RUNTIME;
  // `livekit`: the same scenarios on livekit-server v1.13.5 in the namespace (the media differential)
  const against = process.env.LAB_RTC_AGAINST ?? 'mock';
  const results: RtcVariantResult[] = [];
  for (const file of files) {
    for (const v of expandRuntimes(await loadScenarioFile(join(folder, file)))) {
      if (!requirementsOf(v).includes('rtc') || (only && v.runtime !== only)) continue;
      const r = await runOne(join(folder, file), { against, timing: 'fast', runtime: v.runtime, host: serverAddress() });
      // a failure's message gets the failed steps' errors, which the trace lines alone do not show
      const failures = r.status === 'passed' ? [] : r.events.flatMap((e) => (e.kind === 'mark' && e.name === 'step.failed' ? [`step.failed ${JSON.stringify(e.data)}`] : []));
      const message = [r.message, ...failures].filter(Boolean).join('\n') || undefined;
      results.push({ file, runtime: v.runtime!, status: r.status, message, durationMs: r.durationMs });
    }
  }
  return results;
});
