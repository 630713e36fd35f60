import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { TrackPermissionsView } from './drivers/track-permissions.ts';

describeInNetns<Record<'mock' | 'real', TrackPermissionsView>>(
  'subscription permissions (a Python publisher, rtc-node subscribers): mock vs livekit-server v1.13.5 in a private network namespace',
  'a subscriber the publisher no longer allows loses the track and gets it back when allowed again; the allowed one keeps it',
  new URL('./drivers/track-permissions.ts', import.meta.url),
  { timeoutMs: 180_000, env: { DRIVER_TIMEOUT_MS: '170000' } },
  (r) => {
    expect(r.mock).toEqual(r.real);
    expect(r.mock).toEqual({
      bob: { events: ['subscribed'], heard: { open: true, restricted: true, reopened: true } },
      carol: { events: ['subscribed', 'unsubscribed', 'subscribed'], heard: { open: true, restricted: false, reopened: true } },
    });
  },
);
