import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../differential/format.ts';
import { runDifferential } from '../../differential/run-differential.ts';
import { containerUnavailableReason, guardContainer } from '../targets/livekit-container-env.ts';
import { LIBRARY, libraryByMedia } from './library-files.ts';

// Scenarios that publish run in diff-cli-container.test.ts, inside a network namespace with media participants.
const files = (await libraryByMedia()).signalling;
const unavailable = containerUnavailableReason();

// The fidelity measurement on the container target: livekit-server v1.13.5 in Docker (the local image, host
// networking, on 127.0.0.1) must give the same outcomes as the mock, as the binary does (library-diff.test.ts).
describe('differential: scenario library, mock vs livekit-server v1.13.5 in a container', () => {
  guardContainer(unavailable, 'container differential');
  it.runIf(!unavailable).each(files)('%s', async (file) => {
    const r = await runDifferential(join(LIBRARY, file), { real: 'container' });
    expect(r.real.against).toBe('livekit-container');
    expect(r.mock.status, r.mock.message).toBe('passed');
    expect(r.unexpected, formatDiff(r.differences)).toEqual([]);
  }, 180_000);
});
