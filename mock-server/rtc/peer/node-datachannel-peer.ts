import { createRequire } from 'node:module';
import type { RtcPeerFactory } from './rtc-peer.ts';
import { w3cPeerFactory, type W3CPeerConnectionCtor } from './w3c-peer.ts';

type Polyfill = typeof import('node-datachannel/polyfill');
const require = createRequire(import.meta.url);

/**
 * The peer the mock uses by default: libdatachannel through node-datachannel's W3C polyfill. Chosen by
 * measurement over werift and @roamhq/wrtc (../PEER-CHOICE.md); any of them plugs in through w3cPeerFactory.
 */
export const defaultPeerFactory = (): RtcPeerFactory => {
  // Loaded (synchronously, the factory is sync) at the first peer, not at import: the native module is a large part
  // of a process's start-up, and `dispatch-lab serve` answers GET / without it.
  let factory: RtcPeerFactory | undefined;
  return (events) => {
    factory ??= w3cPeerFactory((require('node-datachannel/polyfill') as Polyfill).RTCPeerConnection as unknown as W3CPeerConnectionCtor);
    return factory(events);
  };
};
