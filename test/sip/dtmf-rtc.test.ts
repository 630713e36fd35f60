import { afterEach, describe, expect, it } from 'vitest';
import { killNetnsRuns, runInNetns } from '../support/netns.ts';
import { webrtcSkipReason } from '../support/netns-guard.ts';

interface DtmfResult {
  got: string[];
  phoneReceived: string;
  callerKind: string;
  callStatus: string;
}

describe('DTMF both ways between a real rtc-node client and a simulated phone (private network namespace)', () => {
  const skip = webrtcSkipReason();
  afterEach(() => killNetnsRuns());

  it.skipIf(!!skip)(
    "the phone's digits arrive as SipDTMF from the SIP participant; the client's publishDtmf reaches the phone",
    async () => {
      const r = (await runInNetns(new URL('./drivers/dtmf.ts', import.meta.url), { timeoutMs: 90_000 }).result) as DtmfResult;
      expect(r.callerKind).toBe('sip');
      expect(r.got).toEqual(['sip_+15557654321:1:1', 'sip_+15557654321:2:2', 'sip_+15557654321:#:11']);
      expect(r.phoneReceived).toBe('9');
      expect(r.callStatus).toBe('ringing'); // nobody published audio
    },
    120_000,
  );
});
