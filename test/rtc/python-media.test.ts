import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { PythonMediaResult } from './drivers/python-media.ts';

// Python livekit rtc (the Rust SDK) used to get no data from the mock: downstream data went on server-opened channels.
describeInNetns<PythonMediaResult>(
  'Python livekit rtc receives data and audio from a Node client through the mock (inside a private network namespace)',
  'reliable data arrives stamped with the sender, the audio track is subscribed with its sid, and frames carry energy',
  new URL('./drivers/python-media.ts', import.meta.url),
  { timeoutMs: 100_000 },
  (r) => {
    expect(r.data.find((d) => d.payload === 'hello-python')).toMatchObject({ sender: 'alice' });
    expect(r.tracks).toEqual([expect.objectContaining({ sid: r.published, participant: 'alice' })]);
    expect(r.framesWithEnergy).toBeGreaterThanOrEqual(100);
  },
);
