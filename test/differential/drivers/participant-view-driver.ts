// Runs the participant-view differential for a publishing agent inside the test network namespace: the mock and
// livekit-server v1.13.5 both bind the namespace's veth address, where @livekit/rtc-node can publish media.
import { formatDiff } from '../../../differential/format.ts';
import { runViewDifferential } from '../../../differential/participants/run-view-differential.ts';
import { runDriver, serverAddress } from '../../rtc/drivers/driver-kit.ts';
import { publishingAgentScript, untimed } from '../participant-view/scripts.ts';

export interface ParticipantViewDriverResult {
  unexpected: number;
  diff: string;
  mock: unknown;
  real: unknown;
}

runDriver(async (): Promise<ParticipantViewDriverResult> => {
  const r = await runViewDifferential(publishingAgentScript, { host: serverAddress(), untimed });
  return { unexpected: r.unexpected.length, diff: formatDiff(r.differences), mock: r.mock.observations, real: r.real.observations };
});
