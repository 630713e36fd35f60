import { startMockServer } from '../../mock-server/index.ts';
import { resolveTiming } from '../../mock-server/config/timing.ts';
import { startLiveKitServer } from '../../targets/livekit-binary.ts';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { unexpectedDifferences } from '../compare.ts';
import type { Difference } from '../outcome.ts';
import { compareViews, normalizeView, type NormalizedView, type ViewCompareOptions } from './view-compare.ts';
import { ViewSession, type ViewScript } from './view-session.ts';

export interface ViewDifferentialResult {
  mock: NormalizedView;
  real: NormalizedView;
  differences: Difference[];
  unexpected: Difference[];
}

/** Runs one script on a target and returns what its participants saw. */
export async function observeView(target: LiveKitTarget, script: ViewScript): Promise<NormalizedView> {
  const session = new ViewSession(target);
  try {
    await script(session);
    return normalizeView(session);
  } finally {
    session.close();
  }
}

/**
 * The participant-side differential hook: the same script on the mock (real timing) and on a fresh
 * livekit-server v1.13.5, then compareViews. The worker-side check (runDifferential) is unchanged.
 */
export async function runViewDifferential(script: ViewScript, opts: ViewCompareOptions & { host?: string } = {}): Promise<ViewDifferentialResult> {
  const host = opts.host ?? '127.0.0.1';
  const mockTarget = await startMockServer({ host, port: 0, timing: resolveTiming('real'), seed: 1 });
  let mock: NormalizedView;
  try {
    mock = await observeView(mockTarget, script);
  } finally {
    await mockTarget.dispose();
  }
  const realTarget = await startLiveKitServer({ bindAddress: host, nodeIp: host });
  let real: NormalizedView;
  try {
    real = await observeView(realTarget, script);
  } finally {
    await realTarget.dispose();
  }
  const differences = compareViews(mock, real, opts);
  return { mock, real, differences, unexpected: unexpectedDifferences(differences) };
}
