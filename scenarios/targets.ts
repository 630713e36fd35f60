import { resolveTiming, type TimingPreset } from '../mock-server/config/timing.ts';
import { startMockServer } from '../mock-server/index.ts';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { UsageError } from './errors.ts';
import type { Scenario } from './model.ts';

/** `mock` (default), `livekit` (a livekit-server binary started per scenario), `container` (one container per scenario), or a server URL. */
export type Against = string;

export interface TargetOptions {
  against?: Against;
  /** The mock's timing preset before the scenario's own `timing:` overrides; default fast. */
  timing?: TimingPreset;
  apiKey?: string;
  apiSecret?: string;
  /**
   * Address the mock or livekit-server binds (default 127.0.0.1). Agents that join rooms and participants that
   * publish need WebRTC, and libwebrtc gathers no loopback candidates: inside a private network namespace the
   * lab binds the namespace's veth address.
   */
  host?: string;
}

/** `against` when it names a target (mock, livekit or a server URL); a UsageError otherwise. */
export function checkAgainst(against: string): Against {
  if (against === 'mock' || against === 'livekit' || against === 'container' || /^(wss?|https?):\/\//.test(against)) return against;
  throw new UsageError(`--against must be mock, livekit, container or a ws://, wss://, http:// or https:// URL; got "${against}"`);
}

/** A fresh target for one scenario, so no state leaks between scenarios. */
export async function openTarget(scenario: Scenario, opts: TargetOptions = {}): Promise<LiveKitTarget> {
  const against = checkAgainst(opts.against ?? 'mock');
  if (against === 'mock') {
    return startMockServer({ port: 0, host: opts.host ?? '127.0.0.1', timing: resolveTiming(opts.timing ?? 'fast', scenario.timing ?? {}), seed: scenario.seed ?? 1 });
  }
  if (against === 'livekit') {
    // Loaded lazily: the binary target is optional and its module pulls in process management.
    const { startLiveKitServer } = await import('../targets/livekit-binary.ts');
    // on a non-loopback host, ICE is offered there too (node_ip), so media participants can publish
    return startLiveKitServer(opts.host ? { bindAddress: opts.host, nodeIp: opts.host } : {});
  }
  if (against === 'container') {
    // livekit-server v1.13.5 in a container (LiveKitContainer: LIVEKIT_IMAGE, the local build, or the official image)
    const { startLiveKitContainer } = await import('../targets/livekit-container.ts');
    return startLiveKitContainer(opts.host ? { host: opts.host } : {});
  }
  // a server URL
  const { connectExternalTarget } = await import('../targets/external-target.ts');
  const apiKey = opts.apiKey ?? process.env.LIVEKIT_API_KEY ?? 'devkey';
  const apiSecret = opts.apiSecret ?? process.env.LIVEKIT_API_SECRET ?? 'secret';
  return connectExternalTarget({ url: against, apiKey, apiSecret });
}
