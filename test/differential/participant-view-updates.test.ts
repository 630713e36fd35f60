import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../differential/format.ts';
import { runViewDifferential } from '../../differential/participants/run-view-differential.ts';
import { pendingTrackScript, updateBatchingScript, untimed } from './participant-view/scripts.ts';

// ParticipantUpdate contents, order and timing as each participant sees them, on the mock and on livekit-server v1.13.5.
describe('participant view: participant-update batching, mock vs livekit-server v1.13.5', () => {
  it('announces non-publishers on the 3 s room ticker and an agent with its first attributes at once, on both servers alike', async () => {
    const r = await runViewDifferential(updateBatchingScript, { untimed });
    expect(r.unexpected, formatDiff(r.differences)).toEqual([]);
    const quiet = r.real.observations['when the human first sees the quiet agent']!;
    expect(quiet.afterCreationMs).toBeGreaterThan(2_500); // the batching the comparison is about happened
    const firstSeen = r.mock.observations['when the caller first sees the bot']!.value as { attributes?: Record<string, string> };
    expect(firstSeen.attributes).toEqual({ 'lk.agent.state': 'initializing' });
  }, 120_000);

  it('keeps a track its client never sends pending: announced to nobody, not listed, on both servers alike', async () => {
    const r = await runViewDifferential(pendingTrackScript, { untimed });
    expect(r.unexpected, formatDiff(r.differences)).toEqual([]);
    const after = r.real.observations['when the watcher sees the adder after its AddTrackRequest']!.value as { tracks?: unknown[] };
    expect(after.tracks ?? []).toEqual([]);
  }, 120_000);
});
