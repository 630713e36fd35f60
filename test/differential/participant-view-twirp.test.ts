import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../differential/format.ts';
import { runViewDifferential } from '../../differential/participants/run-view-differential.ts';
import { twirpChangesScript, untimed } from './participant-view/scripts.ts';

// Twirp-driven changes as participants see them, on the mock and on livekit-server v1.13.5.
describe('participant view: UpdateParticipant, UpdateRoomMetadata, RemoveParticipant, mock vs livekit-server v1.13.5', () => {
  it('gives every participant the same updates, RoomUpdates and Leave at the same times', async () => {
    const r = await runViewDifferential(twirpChangesScript, { untimed });
    expect(r.unexpected, formatDiff(r.differences)).toEqual([]);
    expect(r.real.observations['when bob gets a Leave']).toBeDefined();
  }, 120_000);
});
