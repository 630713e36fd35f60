import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { BrowserClientView } from './drivers/browser-client.ts';

type Views = Record<'mock' | 'real', Record<'v1' | 'v0', BrowserClientView>>;

describeInNetns<Views>(
  'livekit-client 2.23 in headless Chromium and an rtc-node client, on /rtc/v1 and /rtc (v0), with a resume: mock vs livekit-server v1.13.5 in a private network namespace',
  "each hears the other's microphone and gets the other's data, also after the browser's signalling is reset and it resumes, the same on both servers",
  new URL('./drivers/browser-client.ts', import.meta.url),
  { timeoutMs: 180_000, env: { DRIVER_TIMEOUT_MS: '170000' } },
  (r) => {
    expect(r.mock).toEqual(r.real);
    const expected: BrowserClientView = {
      browser: { subscribed: ['node:audio'], heardNode: true, data: ['node:hello from node', 'node:after the resume'], events: ['signal_reconnecting', 'reconnected'] },
      node: { subscribedTo: ['browser:audio'], heardBrowser: true, data: ['browser:hello from the browser', 'browser:browser after the resume'], sawBrowserLeave: false },
      resumed: { publicationKept: true, heardNodeAfter: true },
    };
    expect(r.mock).toEqual({ v1: expected, v0: expected });
  },
);
