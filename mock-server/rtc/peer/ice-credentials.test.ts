import { describe, expect, it } from 'vitest';
import { IceCredentials } from './ice-credentials.ts';

const offer = (ufrag: string) => `v=0\r\na=ice-ufrag:${ufrag}\r\na=ice-pwd:${ufrag}-password-long-enough\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:${ufrag}\r\na=ice-pwd:${ufrag}-password-long-enough\r\n`;

describe('IceCredentials: an ICE restart keeps the credentials the PeerConnection has (libdatachannel cannot restart ICE)', () => {
  it('passes the first offer and renegotiations through, and rewrites a restart everywhere', () => {
    const ice = new IceCredentials();
    expect(ice.apply(offer('first'))).toEqual({ sdp: offer('first'), restarted: false });
    expect(ice.apply(offer('first'))).toEqual({ sdp: offer('first'), restarted: false });
    expect(ice.apply(offer('again'))).toEqual({ sdp: offer('first'), restarted: true });
  });

  it('leaves an offer without credentials alone', () => {
    expect(new IceCredentials().apply('v=0\r\n')).toEqual({ sdp: 'v=0\r\n', restarted: false });
  });
});
