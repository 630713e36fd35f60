import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../differential/format.ts';
import { runDifferential } from '../../differential/run-differential.ts';

const LIBRARY = join(import.meta.dirname, '../../scenarios/library');
/**
 * Scenarios whose differential run does not agree yet, with what is known. They are listed, not hidden: the
 * open issue names them, and `npm run diff` shows their differences.
 */
const NOT_YET_EQUAL: Record<string, string> = {
  '08-publisher-first-publish-only.yaml':
    'livekit-server counts a track as published only once media flows, so JT_PUBLISHER needs a media participant (rtc-node publishing from an AudioSource); rtc-node needs a non-loopback interface for ICE, so this run would have to move into a network namespace together with the server. The signalling-only driver cannot publish.',
};
const files = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.yaml') && !(f in NOT_YET_EQUAL))
  .sort();

// The fidelity measurement: every library scenario on the mock and on livekit-server v1.13.5 must give the same
// outcomes. A missing livekit-server binary fails here (run `npm run setup:livekit`), it is never skipped.
describe('differential: scenario library, mock vs livekit-server v1.13.5', () => {
  it.each(files)('%s', async (file) => {
    const r = await runDifferential(join(LIBRARY, file));
    expect(r.mock.status, r.mock.message).toBe('passed');
    expect(r.unexpected, formatDiff(r.differences)).toEqual([]);
  }, 180_000);
});
