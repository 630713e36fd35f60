import type { MockCore } from '../server/mock-core.ts';
import type { ServerExtension } from '../transport/server-extension.ts';
import type { RtcPeerFactory } from './peer/rtc-peer.ts';
import { defaultPeerFactory } from './peer/node-datachannel-peer.ts';
import { createRtcRouter } from './rtc-router.ts';
import { SessionRegistry } from './session-registry.ts';

export interface RtcExtensionOptions {
  /** The WebRTC stack answering client offers; node-datachannel (libdatachannel) by default. */
  peerFactory?: RtcPeerFactory;
  /**
   * A participant whose signal socket closes without a leave stays this long for a resume (reconnect=1)
   * before it leaves (DisconnectReason SIGNAL_CLOSE). The real server keeps it while its PeerConnection is up.
   */
  signalLossGraceMs?: number;
}

export const DEFAULT_SIGNAL_LOSS_GRACE_MS = 2_000;

/**
 * livekit-server's RTCService on the mock: the router (HTTP, upgrades) in front of the session registry
 * (sessions, room-event fan-out, data relay, close faults).
 */
export function createRtcExtension(core: MockCore, options: RtcExtensionOptions = {}): ServerExtension {
  const registry = new SessionRegistry(core, {
    peerFactory: options.peerFactory ?? defaultPeerFactory(),
    signalLossGraceMs: options.signalLossGraceMs ?? DEFAULT_SIGNAL_LOSS_GRACE_MS,
  });
  const router = createRtcRouter(registry);
  return {
    handleRequest: router.handleRequest,
    handleUpgrade: router.handleUpgrade,
    close() {
      registry.close();
      return router.close?.();
    },
  };
}
