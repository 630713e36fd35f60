import { describe, expect, it } from 'vitest';
import { readRtpHeader } from './rtp-header-relay.ts';

describe('readRtpHeader: what a simulcast layer says in clear under SRTP', () => {
  // a libwebrtc layer's first packet (captured by the relay): one-byte extensions, mid (id 4) "7", rid (id 10) "h"
  const packet = Buffer.from('90e056433922b7dbf1501d63bede00014037a068bce622275c887d3f', 'hex');

  it('reads the SSRC, mid and rid with the ids the offer gave them', () => {
    expect(readRtpHeader(packet, { mid: 4, rid: 10, repairedRid: 11 })).toEqual({ ssrc: 0xf1501d63, mid: '7', rid: 'h' });
  });

  it('reads only the SSRC when the ids are not the offer’s, and nothing of RTCP, STUN or a truncated header', () => {
    expect(readRtpHeader(packet, {})).toEqual({ ssrc: 0xf1501d63 });
    expect(readRtpHeader(Buffer.from('81c90001000000010000', 'hex'), { mid: 4 })).toBeUndefined();
    expect(readRtpHeader(Buffer.from('000100002112a442', 'hex'), { mid: 4 })).toBeUndefined();
    expect(readRtpHeader(packet.subarray(0, 14), { mid: 4 })).toBeUndefined();
  });
});
