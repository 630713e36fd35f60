import { JobType } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_TIMING } from '../config/timing.ts';
import { roomSpec, startCoreKit, type CoreKit, type MemoryAnswer } from '../server/core-test-kit.ts';

const accept: MemoryAnswer = () => ({});

describe('the 5 s CheckEnabled round on a ManualClock: when a room records its jobs', () => {
  let kit: CoreKit;
  afterEach(() => kit?.core.stop());

  const recorded = (room: string) => [...(kit.core.rooms.get(room)?.dispatches.values() ?? [])].flatMap((d) => d.dispatch.state?.jobs ?? []);

  it('the worker gets its job after the claim delay, the room records it only when the round ends', async () => {
    kit = startCoreKit();
    const w = kit.worker({}, accept);
    kit.core.rooms.getOrCreate(roomSpec('r'), 'create_room');
    await kit.clock.advance(REAL_TIMING.claimDelayMs);
    expect(w.conn.of('assignment')).toHaveLength(1);
    expect(recorded('r')).toHaveLength(0);
    await kit.clock.advance(REAL_TIMING.enabledCheckMs - REAL_TIMING.claimDelayMs - 1);
    expect(recorded('r')).toHaveLength(0);
    await kit.clock.advance(1);
    expect(recorded('r').map((j) => j.id)).toEqual([w.conn.of('assignment')[0].job!.id]);
  });

  it('launches within a round wait for its end; the next launch after it records at once', async () => {
    kit = startCoreKit();
    kit.worker({}, accept);
    kit.core.rooms.getOrCreate(roomSpec('a'), 'create_room');
    await kit.clock.advance(3_000);
    kit.core.rooms.getOrCreate(roomSpec('b'), 'create_room');
    await kit.clock.advance(REAL_TIMING.enabledCheckMs - 3_000 - 1);
    expect([recorded('a').length, recorded('b').length]).toEqual([0, 0]);
    await kit.clock.advance(1);
    expect([recorded('a').length, recorded('b').length]).toEqual([1, 1]);
    kit.core.rooms.getOrCreate(roomSpec('c'), 'create_room');
    await kit.clock.advance(REAL_TIMING.claimDelayMs);
    expect(recorded('c')).toHaveLength(1);
  });

  it('a worker with a new key starts a new round at the next launch; one with a known key does not', async () => {
    kit = startCoreKit();
    kit.worker({}, accept);
    kit.core.rooms.getOrCreate(roomSpec('first'), 'create_room');
    await kit.clock.advance(REAL_TIMING.enabledCheckMs);
    kit.worker({}, accept); // same key: the cache stays
    kit.core.rooms.getOrCreate(roomSpec('same-key'), 'create_room');
    await kit.clock.advance(REAL_TIMING.claimDelayMs);
    expect(recorded('same-key')).toHaveLength(1);
    kit.worker({ agentName: 'new', type: JobType.JT_PUBLISHER }, accept); // a new key: PublishWorkerRegistered
    kit.core.rooms.getOrCreate(roomSpec('new-key'), 'create_room');
    await kit.clock.advance(REAL_TIMING.enabledCheckMs - 1);
    expect(recorded('new-key')).toHaveLength(0);
    await kit.clock.advance(1);
    expect(recorded('new-key')).toHaveLength(1);
  });

  it('after the 1 min cache TTL the next launch waits for a new round', async () => {
    kit = startCoreKit();
    kit.worker({}, accept);
    kit.core.rooms.getOrCreate(roomSpec('first'), 'create_room');
    await kit.clock.advance(REAL_TIMING.enabledCacheTtlMs + 1);
    kit.core.rooms.getOrCreate(roomSpec('stale'), 'create_room');
    await kit.clock.advance(REAL_TIMING.enabledCheckMs - 1);
    expect(recorded('stale')).toHaveLength(0);
    await kit.clock.advance(1);
    expect(recorded('stale')).toHaveLength(1);
  });
});
