import { JobType, UpdateWorkerStatus, WorkerStatus } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import type { RawWorker } from '../support/raw-worker.ts';
import { received, startLab, type Lab } from '../support/harness.ts';

describe('worker selection', () => {
  let lab: Lab;
  afterEach(() => lab?.close());

  /** Sends a status update and waits until the server has applied it. */
  async function setStatus(w: RawWorker, load: number, status?: WorkerStatus): Promise<void> {
    const n = lab.events('worker.status').filter((e) => e.workerId === w.workerId).length;
    w.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ load, status }) });
    await eventually(() => (lab.events('worker.status').filter((e) => e.workerId === w.workerId).length > n ? '' : 'status update not applied yet'));
  }

  /** Creates rooms one at a time, each waiting for its JT_ROOM job to be assigned; returns the chosen worker ids. */
  async function roomsAssigned(count: number, prefix = 'room'): Promise<string[]> {
    const picks: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${prefix}-${i}`;
      await lab.rooms.createRoom({ name });
      let picked = '';
      await eventually(() => {
        const c = lab.events('job.created').find((j) => j.room === name);
        picked = (c && lab.events('job.assigned').find((a) => a.jobId === c.jobId)?.workerId) ?? '';
        return picked ? '' : `job for ${name} not assigned yet`;
      });
      picks.push(picked);
    }
    return picks;
  }

  it('every available worker at/above the target load 0.7 → the job is dropped with the reason, never offered', async () => {
    lab = await startLab();
    const a = await lab.worker();
    const b = await lab.worker();
    await setStatus(a, 0.7);
    await setStatus(b, 0.95);
    await lab.rooms.createRoom({ name: 'busy' });
    const [ended] = await lab.waitEnded((_e, c) => c.room === 'busy');
    expect(ended.outcome).toBe('dropped');
    expect(ended.reason).toMatch(/every worker for "" as JT_ROOM is FULL or at\/above the target load 0\.7 \(load 0\.70, load 0\.95\)/);
    expect(lab.events('job.offered')).toHaveLength(0);
    expect([...a.of('availability'), ...b.of('availability')]).toHaveLength(0);
  });

  it('FULL workers are skipped; FULL plus loaded workers → dropped', async () => {
    lab = await startLab();
    const full = await lab.worker();
    const free = await lab.worker();
    await setStatus(full, 0, WorkerStatus.WS_FULL);
    const picks = await roomsAssigned(5);
    expect(new Set(picks)).toEqual(new Set([free.workerId]));
    expect(full.of('availability')).toHaveLength(0);

    await setStatus(free, 0.8);
    await lab.rooms.createRoom({ name: 'no-capacity' });
    const [ended] = await lab.waitEnded((_e, c) => c.room === 'no-capacity');
    expect(ended.outcome).toBe('dropped');
    expect(ended.reason).toContain('(FULL, load 0.80)');
  });

  it('one worker below the target keeps the key claimable; a worker above it is still picked by weight', async () => {
    lab = await startLab({ seed: 11 });
    const low = await lab.worker();
    const high = await lab.worker();
    await setStatus(low, 0.5);
    await setStatus(high, 0.75);
    const picks = await roomsAssigned(24);
    expect(picks).toContain(high.workerId);
    expect(picks.filter((p) => p === low.workerId).length).toBeGreaterThan(picks.filter((p) => p === high.workerId).length);
  });

  it('the choice is weighted by 1 − load and deterministic per seed', async () => {
    const run = async (seed: number) => {
      lab = await startLab({ seed });
      const idle = await lab.worker();
      const half = await lab.worker();
      await setStatus(half, 0.5);
      const picks = await roomsAssigned(45);
      await lab.close();
      return picks.map((p) => (p === idle.workerId ? 'idle' : p === half.workerId ? 'half' : '?'));
    };
    const first = await run(5);
    const idleShare = first.filter((p) => p === 'idle').length / first.length;
    // weights 1 : 0.5 → 2/3 expected
    expect(idleShare).toBeGreaterThan(0.5);
    expect(idleShare).toBeLessThan(0.85);
    expect(first).not.toContain('?');
    expect(await run(5)).toEqual(first);
  }, 60_000);

  it('namespace fan-out: the default dispatch gives one job per distinct namespace, each with its own id', async () => {
    lab = await startLab();
    const na = await lab.worker({ namespace: 'a' });
    const nb = await lab.worker({ namespace: 'b' });
    const nb2 = await lab.worker({ namespace: 'b', agentName: 'named' });
    await lab.rooms.createRoom({ name: 'fan' });
    const [ja] = (await received(na, 'assignment')) as { job: { id: string; namespace: string } }[];
    const [jb] = (await received(nb, 'assignment')) as { job: { id: string; namespace: string } }[];
    expect(ja.job.namespace).toBe('a');
    expect(jb.job.namespace).toBe('b');
    expect(ja.job.id).not.toBe(jb.job.id);
    const created = lab.events('job.created').filter((c) => c.room === 'fan');
    expect(created.map((c) => c.namespace).sort()).toEqual(['a', 'b']);
    expect(new Set(created.map((c) => c.dispatchId)).size).toBe(1);
    expect(nb2.of('availability')).toHaveLength(0);
  });

  it('a namespace known only from another job type fans out to a topic nobody serves → dropped', async () => {
    lab = await startLab();
    const room = await lab.worker({ namespace: 'a' });
    await lab.worker({ namespace: 'b', jobType: JobType.JT_PUBLISHER });
    await lab.rooms.createRoom({ name: 'fan2' });
    await received(room, 'assignment');
    const [ended] = await lab.waitEnded((_e, c) => c.room === 'fan2' && c.namespace === 'b');
    expect(ended.outcome).toBe('dropped');
    expect(ended.reason).toMatch(/^no worker for agent "" with type JT_ROOM in namespace "b"; registered: /);
  });
});
