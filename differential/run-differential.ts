import { runScenario } from '../scenarios/engine/run-scenario.ts';
import type { ScenarioResult } from '../scenarios/engine/result.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import { startMockServer } from '../mock-server/index.ts';
import { resolveTiming } from '../mock-server/config/timing.ts';
import { startLiveKitServer } from '../targets/livekit-binary.ts';
import { compareOutcomes, unexpectedDifferences } from './compare.ts';
import { normalizeTrace } from './normalize.ts';
import type { Difference } from './outcome.ts';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import type { ParticipantDriver } from '../scenarios/participants/participant-driver.ts';
import { mediaParticipants, mediaUnavailableOn } from '../scenarios/participants/media-availability.ts';
import { requirementsOf } from '../scenarios/requirements.ts';

export interface DifferentialOptions {
  /**
   * Address both servers bind (default 127.0.0.1). Publishing needs WebRTC, and libwebrtc gathers no loopback
   * candidates: inside a network namespace both bind its veth address, and the real server offers ICE there.
   */
  host?: string;
  /**
   * One participant driver per side (the same kind on both, so the comparison is fair). Default: media
   * participants on both sides when the scenario publishes and they can work on `host`; otherwise each
   * target's own default (virtual on the mock, signalling-only on the real server).
   */
  participants?: (target: LiveKitTarget) => ParticipantDriver | Promise<ParticipantDriver>;
  /** The real server: the livekit-server binary (default) or the container (LiveKitContainer). */
  real?: RealBackend;
  /** The container's network mode (default host); `container:<id>` joins a namespace holder's namespace. */
  containerNetworkMode?: string;
}

export type RealBackend = 'livekit' | 'container';

/** A fresh real server on `host`, offering ICE there too (node_ip), so media participants can publish. */
export async function startRealServer(host: string, real: RealBackend = 'livekit', containerNetworkMode?: string): Promise<LiveKitTarget> {
  if (real === 'container') {
    const { startLiveKitContainer } = await import('../targets/livekit-container.ts');
    return startLiveKitContainer({ host, networkMode: containerNetworkMode });
  }
  return startLiveKitServer({ bindAddress: host, nodeIp: host });
}

export interface DifferentialResult {
  name: string;
  file: string;
  mock: ScenarioResult;
  real: ScenarioResult;
  differences: Difference[];
  unexpected: Difference[];
  /** The mock passed its own expectations and the outcome-level traces agree. */
  agrees: boolean;
  /** The participant driver on the real server. */
  participants: string;
  /** Why a scenario that publishes ran without media participants (so the real server saw no tracks). */
  mediaUnavailable?: string;
}

/**
 * Runs one scenario on the mock (real timing, so timeouts fall the same way) and on a fresh
 * livekit-server v1.13.5 (binary or container), then compares what workers saw. The real run keeps going past expectations
 * it cannot observe (drop reasons exist only in the mock), so both runs perform every step.
 */
export async function runDifferential(file: string, opts: DifferentialOptions = {}): Promise<DifferentialResult> {
  const scenario = await loadScenarioFile(file);
  const host = opts.host ?? '127.0.0.1';
  const publishes = requirementsOf(scenario).includes('media');
  const mediaUnavailable = publishes && !opts.participants ? await mediaUnavailableOn(host) : undefined;
  // a fair comparison: when the real server needs media participants, the mock gets them too
  const participants = opts.participants ?? (publishes && !mediaUnavailable ? mediaParticipants : undefined);
  const mockTarget = await startMockServer({ host, port: 0, timing: resolveTiming('real'), seed: scenario.seed ?? 1 });
  let mock: ScenarioResult;
  try {
    mock = await runScenario(scenario, { target: mockTarget, participants: await participants?.(mockTarget) });
  } finally {
    await mockTarget.dispose();
  }
  const realTarget = await startRealServer(host, opts.real, opts.containerNetworkMode);
  let real: ScenarioResult;
  let realParticipants: ParticipantDriver | undefined;
  try {
    realParticipants = await participants?.(realTarget);
    real = await runScenario(scenario, { target: realTarget, continueOnFailure: true, participants: realParticipants });
  } finally {
    await realTarget.dispose();
  }
  const differences = compareOutcomes(normalizeTrace(mock.events), normalizeTrace(real.events));
  const unexpected = unexpectedDifferences(differences);
  const agrees = mock.status === 'passed' && unexpected.length === 0;
  return { name: scenario.name, file, mock, real, differences, unexpected, agrees, participants: realParticipants?.name ?? 'signalling-only (/rtc)', mediaUnavailable };
}
