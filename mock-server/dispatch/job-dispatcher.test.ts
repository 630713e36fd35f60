import { JobType, WorkerStatus } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_TIMING } from '../config/timing.ts';
import { roomSpec, startCoreKit, type CoreKit, type MemoryAnswer } from '../server/core-test-kit.ts';

const accept: MemoryAnswer = () => ({});

describe('job dispatcher on a ManualClock: the load rule, selection, namespace fan-out', () => {
  let kit: CoreKit;
  afterEach(() => kit?.core.stop());

  /** Creates rooms one at a time, each past its claim delay and answer; returns the assigned worker ids. */
  async function roomsAssigned(count: number, prefix = 'room'): Promise<string[]> {
    const picks: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${prefix}-${i}`;
      kit.core.rooms.getOrCreate(roomSpec(name), 'create_room');
      await kit.clock.advance(REAL_TIMING.claimDelayMs);
      const job = kit.core.trace.events('job.created').find((c) => c.room === name)!;
      const assigned = kit.core.trace.events('job.assigned').find((a) => a.jobId === job.jobId);
      expect(assigned, `job for ${name} not assigned after the claim delay`).toBeDefined();
      picks.push(assigned!.workerId);
    }
    return picks;
  }

  /** A core with two accepting JT_ROOM workers. */
  const twoWorkers = (seed: number) => {
    kit = startCoreKit({ seed });
    return [kit.worker({}, accept), kit.worker({}, accept)] as const;
  };
  /** Creates a room whose job the load rule decides at once; returns that job's end. */
  const endOfRoomJob = async (name: string) => {
    kit.core.rooms.getOrCreate(roomSpec(name), 'create_room');
    await kit.clock.advance(0);
    const job = kit.core.trace.events('job.created').find((c) => c.room === name);
    return kit.ended().find((e) => e.jobId === job?.jobId)!;
  };

  it('every available worker at/above the target load 0.7 → the job is dropped with the reason at once, never offered', async () => {
    const [a, b] = twoWorkers(42);
    a.setStatus(0.7);
    b.setStatus(0.95);
    const ended = await endOfRoomJob('busy');
    expect(ended.outcome).toBe('dropped');
    expect(ended.reason).toMatch(/every worker for "" as JT_ROOM is FULL or at\/above the target load 0\.7 \(load 0\.70, load 0\.95\)/);
    expect(kit.core.trace.events('job.offered')).toHaveLength(0);
    expect([...a.conn.of('availability'), ...b.conn.of('availability')]).toHaveLength(0);
  });

  it('FULL workers are skipped; FULL plus loaded workers → dropped', async () => {
    const [full, free] = twoWorkers(42);
    full.setStatus(0, WorkerStatus.WS_FULL);
    const picks = await roomsAssigned(5);
    expect(new Set(picks)).toEqual(new Set([free.workerId]));
    expect(full.conn.of('availability')).toHaveLength(0);

    free.setStatus(0.8);
    const ended = await endOfRoomJob('no-capacity');
    expect(ended.outcome).toBe('dropped');
    expect(ended.reason).toContain('(FULL, load 0.80)');
  });

  it('one worker below the target keeps the key claimable; a worker above it is still picked by weight', async () => {
    const [low, high] = twoWorkers(11);
    low.setStatus(0.5);
    high.setStatus(0.75);
    const picks = await roomsAssigned(24);
    expect(picks).toContain(high.workerId);
    expect(picks.filter((p) => p === low.workerId).length).toBeGreaterThan(picks.filter((p) => p === high.workerId).length);
  });

  it('the choice is weighted by 1 − load and deterministic per seed', async () => {
    const run = async (seed: number) => {
      const [idle, half] = twoWorkers(seed);
      half.setStatus(0.5);
      const picks = await roomsAssigned(45);
      kit.core.stop();
      return picks.map((p) => (p === idle.workerId ? 'idle' : p === half.workerId ? 'half' : '?'));
    };
    const first = await run(5);
    const idleShare = first.filter((p) => p === 'idle').length / first.length;
    // weights 1 : 0.5 → 2/3 expected
    expect(idleShare).toBeGreaterThan(0.5);
    expect(idleShare).toBeLessThan(0.85);
    expect(first).not.toContain('?');
    expect(await run(5)).toEqual(first);
  });

  it('namespace fan-out: the default dispatch gives one job per distinct namespace, each with its own id', async () => {
    kit = startCoreKit({ seed: 42 });
    const na = kit.worker({ namespace: 'a' }, accept);
    const nb = kit.worker({ namespace: 'b' }, accept);
    const nb2 = kit.worker({ namespace: 'b', agentName: 'named' }, accept);
    kit.core.rooms.getOrCreate(roomSpec('fan'), 'create_room');
    await kit.clock.advance(REAL_TIMING.claimDelayMs);
    const [ja] = na.conn.of('assignment');
    const [jb] = nb.conn.of('assignment');
    expect(ja.job!.namespace).toBe('a');
    expect(jb.job!.namespace).toBe('b');
    expect(ja.job!.id).not.toBe(jb.job!.id);
    const created = kit.core.trace.events('job.created').filter((c) => c.room === 'fan');
    expect(created.map((c) => c.namespace).sort()).toEqual(['a', 'b']);
    expect(new Set(created.map((c) => c.dispatchId)).size).toBe(1);
    expect(nb2.conn.of('availability')).toHaveLength(0);
  });

  it('a namespace known only from another job type fans out to a topic nobody serves → dropped after the 1 s no-server wait', async () => {
    kit = startCoreKit({ seed: 42 });
    const room = kit.worker({ namespace: 'a' }, accept);
    kit.worker({ namespace: 'b', type: JobType.JT_PUBLISHER }, accept);
    kit.core.rooms.getOrCreate(roomSpec('fan2'), 'create_room');
    await kit.clock.advance(REAL_TIMING.claimDelayMs);
    expect(room.conn.of('assignment')).toHaveLength(1);
    await kit.clock.advance(REAL_TIMING.noServerTimeoutMs - REAL_TIMING.claimDelayMs - 1);
    expect(kit.ended()).toHaveLength(0);
    await kit.clock.advance(1);
    const [ended] = kit.ended();
    expect(kit.core.trace.events('job.created').find((c) => c.jobId === ended.jobId)?.namespace).toBe('b');
    expect(ended.outcome).toBe('dropped');
    expect(ended.reason).toMatch(/^no worker for agent "" with type JT_ROOM in namespace "b"; registered: /);
  });
});
