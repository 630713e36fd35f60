import { createSocket, type Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { RtpHeaderRelay, readRtpHeader } from './rtp-header-relay.ts';

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

describe('RtpHeaderRelay: every address either side sees is the relay’s (real UDP sockets on 127.0.0.1)', () => {
  const bound = async () => {
    const s = createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    return s;
  };
  const next = (s: Socket) => new Promise<{ msg: string; port: number }>((resolve) => s.once('message', (m, from) => resolve({ msg: m.toString(), port: from.port })));
  const candidate = (port: number) => `a=candidate:1 1 UDP 2122317823 127.0.0.1 ${port} typ host`;
  const portOf = (c: string) => Number(c.split(' ')[5]);

  it('fronts the stack’s candidate for the client and backs the client’s for the stack, so both can check at once', async () => {
    const stack = await bound();
    const client = await bound();
    const relay = new RtpHeaderRelay(() => ({}), () => undefined);
    try {
      const front = portOf((await relay.front(candidate(stack.address().port)))!);
      const backs = await relay.backs(candidate(client.address().port));
      expect(backs).toHaveLength(1);
      const back = portOf(backs[0]!);
      expect([front, back]).not.toContain(stack.address().port);
      // the stack checks the client first: it reaches the client from the front
      const atClient = next(client);
      stack.send('check from the stack', back, '127.0.0.1');
      expect(await atClient).toEqual({ msg: 'check from the stack', port: front });
      // the client's reply through the front reaches the stack from that same back socket
      const atStack = next(stack);
      client.send('reply from the client', front, '127.0.0.1');
      expect(await atStack).toEqual({ msg: 'reply from the client', port: back });
    } finally {
      relay.close();
      stack.close();
      client.close();
    }
  });
});
