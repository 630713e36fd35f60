import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { SimulcastView } from './drivers/simulcast-forwarding.ts';

describeInNetns<Record<'mock' | 'real', SimulcastView>>(
  'simulcast forwarding (VP8, three rid layers) between real @livekit/rtc-node clients: mock vs livekit-server v1.13.5 in a private network namespace',
  'each subscriber reaches the top layer (1280x720) and decodes it; a late joiner starts on it too',
  new URL('./drivers/simulcast-forwarding.ts', import.meta.url),
  { timeoutMs: 200_000, env: { DRIVER_TIMEOUT_MS: '190000' } },
  (r) => {
    for (const view of [r.mock, r.real]) {
      expect(view.announcedLayers).toEqual(['320x180', '640x360', '1280x720']);
      expect(view.bob.sizes.at(-1)).toBe('1280x720');
      expect(view.bob.topFrames).toBeGreaterThanOrEqual(20);
      expect(view.carol.sizes.at(-1)).toBe('1280x720');
      expect(view.carol.topFrames).toBeGreaterThanOrEqual(20);
    }
  },
);
