import type { RtcPeerFactory } from './rtc-peer.ts';
import { nativePeerFactory } from './ndc-native-peer.ts';

/**
 * The peer the mock uses by default: libdatachannel through node-datachannel's native API, which (unlike its
 * W3C polyfill) carries media. Chosen by measurement over werift and @roamhq/wrtc (../PEER-CHOICE.md); those
 * plug in through w3cPeerFactory as data-only peers.
 */
export const defaultPeerFactory = (): RtcPeerFactory => nativePeerFactory();
