import { RTCPeerConnection } from 'node-datachannel/polyfill';
import type { RtcPeerFactory } from './rtc-peer.ts';
import { w3cPeerFactory, type W3CPeerConnectionCtor } from './w3c-peer.ts';

/**
 * The peer the mock uses by default: libdatachannel through node-datachannel's W3C polyfill. Chosen by
 * measurement over werift and @roamhq/wrtc (../PEER-CHOICE.md); any of them plugs in through w3cPeerFactory.
 */
export const defaultPeerFactory = (): RtcPeerFactory => w3cPeerFactory(RTCPeerConnection as unknown as W3CPeerConnectionCtor);
