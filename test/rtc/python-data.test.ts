import { expect } from 'vitest';
import type { PythonDataResult } from './drivers/python-data.ts';
import { describeInNetns } from '../support/netns-guard.ts';

// Regression: livekit rtc 1.1.21 (Python) offers SNAP (a=sctp-init). The mock's stack used to echo it, the client
// lost its data channel OPENs, and send_text failed with "unable to send packet" (mock-server/rtc/peer/sdp-policy.ts).
describeInNetns<PythonDataResult>(
  'Python livekit rtc sends data and text to a Node client through the mock (inside a private network namespace)',
  'publish_data and send_text (short and multi-chunk) arrive, and no data channel is closed under the sender',
  new URL('./drivers/python-data.ts', import.meta.url),
  { timeoutMs: 90_000 },
  (r) => {
    const failed = r.steps.filter((s) => s.ok === false);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(r.steps.map((s) => s.step)).toEqual(['connected', 'publish_data', 'send_text', 'send_text_long']);
    expect(r.senderErrors).toEqual([]);
    const got = JSON.stringify(r.got);
    expect(r.got, got).toContain('data:lab:hello-data');
    expect(r.got, got).toContain('text:alice:hello-text');
    expect(r.got, got).toContain('text:alice:40000 chars');
  },
);
