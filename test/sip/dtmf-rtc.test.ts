import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';

interface DtmfResult {
  got: string[];
  phoneReceived: string;
  callerKind: string;
  callStatus: string;
}

describeInNetns<DtmfResult>(
  'DTMF both ways between a real rtc-node client and a simulated phone (private network namespace)',
  "the phone's digits arrive as SipDTMF from the SIP participant; the client's publishDtmf reaches the phone",
  new URL('./drivers/dtmf.ts', import.meta.url),
  { timeoutMs: 90_000 },
  (r) => {
    expect(r.callerKind).toBe('sip');
    expect(r.got).toEqual(['sip_+15557654321:1:1', 'sip_+15557654321:2:2', 'sip_+15557654321:#:11']);
    expect(r.phoneReceived).toBe('9');
    expect(r.callStatus).toBe('ringing'); // nobody published audio
  },
);
