import { ConfigError } from '../core/errors.ts';

/**
 * What the SIP side of the deployment looks like:
 * - store `memory`: livekit-server with Redis (trunks and rules are kept); `none`: `--dev` without Redis,
 *   where every SIP method answers `internal` "sip not connected (redis required)".
 * - bridge `simulated`: the lab's livekit-sip stand-in places and receives calls; `absent`: no livekit-sip
 *   runs, so CreateSIPParticipant and TransferSIPParticipant end `unavailable` after the psrpc timeout (~1 s).
 */
export interface SipMode {
  store: 'memory' | 'none';
  bridge: 'simulated' | 'absent';
}

export const DEFAULT_SIP_MODE: Readonly<SipMode> = Object.freeze({ store: 'memory', bridge: 'simulated' });

export function parseSipMode(input: Record<string, unknown>, current: SipMode): SipMode {
  const store = input.store ?? current.store;
  const bridge = input.bridge ?? current.bridge;
  if (store !== 'memory' && store !== 'none') throw new ConfigError(`sip mode: "store" must be "memory" or "none", not ${JSON.stringify(store)}`);
  if (bridge !== 'simulated' && bridge !== 'absent') throw new ConfigError(`sip mode: "bridge" must be "simulated" or "absent", not ${JSON.stringify(bridge)}`);
  return { store, bridge };
}
