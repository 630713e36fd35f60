import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../differential/format.ts';
import { runViewDifferential } from '../../differential/participants/run-view-differential.ts';
import { roomObjectsScript, untimed } from './participant-view/scripts.ts';

// What participants and Twirp callers see of rooms, the same steps on the mock and on livekit-server v1.13.5.
describe('participant view: Room objects and counters, mock vs livekit-server v1.13.5', () => {
  it('CreateRoom / ListRooms / JoinResponse / RoomUpdate rooms and ListParticipants agree, counts filled on the 5 s room ticker', async () => {
    const r = await runViewDifferential(roomObjectsScript, { untimed });
    expect(r.unexpected, formatDiff(r.differences)).toEqual([]);
    // the comparison saw something: the counts were filled on both servers, and not at once
    const filled = r.real.observations['when ListRooms pv-join counts the human']!;
    expect(filled.afterCreationMs).toBeGreaterThan(4_000);
    expect(r.mock.observations['when ListRooms pv-join counts the human']!.value).toMatchObject({ numParticipants: 1 });
  }, 120_000);
});
