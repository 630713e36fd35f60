import { RTCPeerConnection } from 'werift';
import type { RtcPeerFactory } from './rtc-peer.ts';
import { w3cPeerFactory, type W3CPeerConnectionCtor } from './w3c-peer.ts';

/** The peer the mock uses by default (chosen by measurement: see ../PEER-CHOICE.md). */
export const weriftPeerFactory = (): RtcPeerFactory => w3cPeerFactory(RTCPeerConnection as unknown as W3CPeerConnectionCtor);
