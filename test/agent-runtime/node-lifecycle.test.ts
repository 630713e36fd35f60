import { describe, expect, it } from 'vitest';
import { launchNodeWorker } from '../../agent-runtime/node-launcher.ts';
import { waitFor } from '../../agent-runtime/wait-for.ts';
import type { StartedMockServer } from '../../mock-server/index.ts';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { marks } from '../support/runtime/marks.ts';
import { mockWithWorkers } from '../support/runtime/mock-with-workers.ts';
import { createRoom, dispatchAgent } from '../support/runtime/rooms.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Creates a room and dispatches the agent into it; returns the entry.started mark of that room's job. */
async function runJob(server: StartedMockServer, room: string, agentName: string, metadata = '') {
  await createRoom(server, room);
  await dispatchAgent(server, room, agentName, metadata);
  return waitFor(() => marks(server.trace, 'entry.started').find((m) => m.data.room === room), {
    reason: `entry.started for ${room}`,
    timeoutMs: 20_000,
  });
}

// What the seeds promise about the real Node runtime (process per job, crash isolation, drain, rejection).
describe('Node worker lifecycle against the mock', () => {
  const lab = mockWithWorkers();

  it('runs two jobs in two distinct processes', async () => {
    const worker = lab.workers.add(await launchNodeWorker({ target: lab.server, script: {}, agentName: 'pids' }));
    await worker.waitReady();
    const a = await runJob(lab.server, 'pids-a', 'pids');
    const b = await runJob(lab.server, 'pids-b', 'pids');
    expect(new Set([a.data.pid, b.data.pid, worker.pid]).size).toBe(3);
    expect(a.jobId).not.toBe(b.jobId);
  }, 45_000);

  it('a crashing job leaves the worker and its sibling job running', async () => {
    const worker = lab.workers.add(
      await launchNodeWorker({
        target: lab.server,
        agentName: 'crashy',
        script: { entryByMetadata: { crash: [{ do: 'exit', code: 3 }] } },
      }),
    );
    await worker.waitReady();
    const sibling = await runJob(lab.server, 'crash-sibling', 'crashy', 'stay');
    const crashed = await runJob(lab.server, 'crash-victim', 'crashy', 'crash');
    await waitFor(() => !alive(crashed.data.pid as number), { reason: 'the crashed job process to be gone' });
    expect(marks(lab.server.trace, 'process.exiting', crashed.jobId)).toHaveLength(1);
    expect(alive(sibling.data.pid as number)).toBe(true);
    expect(worker.exit).toBeUndefined();
    // The worker still takes jobs (no UpdateJobStatus tells the server about the crash: Node never sends one).
    const after = await runJob(lab.server, 'crash-after', 'crashy', 'stay');
    expect(after.workerId).toBe(worker.workerId);
    expect(lab.server.trace.events().filter((e) => e.kind === 'job.status')).toHaveLength(0);
  }, 60_000);

  it('drains on SIGTERM: WS_FULL, no new jobs, exits after the running job ends', async () => {
    const worker = lab.workers.add(
      await launchNodeWorker({ target: lab.server, agentName: 'drainer', script: { entry: [{ do: 'sleep', ms: 4000 }, { do: 'shutdown' }] } }),
    );
    const { workerId } = await worker.waitReady();
    const running = await runJob(lab.server, 'drain-running', 'drainer');
    // Let the pool replace the idle process the job took: a SIGTERM while that replacement is still starting
    // makes agents 1.9.0's drain wait until shutdownProcessTimeout (60 s) kills it: the shutdown request reaches
    // the new process before it listens for one (scenarios/runtimes/35-node-drain-during-replacement.yaml).
    await waitFor(() => marks(lab.server.trace, 'prewarm.finished').find((m) => m.seq > running.seq), {
      reason: 'the replacement idle process to finish prewarm',
    });
    worker.signal('SIGTERM');
    await waitFor(
      () => lab.server.trace.events().find((e) => e.kind === 'worker.status' && e.workerId === workerId && e.status === 'WS_FULL'),
      { reason: 'WS_FULL from the draining worker' },
    );
    await createRoom(lab.server, 'drain-new');
    await dispatchAgent(lab.server, 'drain-new', 'drainer');
    const newJob = await waitFor(
      () => lab.server.trace.events().find((e): e is Extract<TraceEvent, { kind: 'job.created' }> => e.kind === 'job.created' && e.room === 'drain-new'),
      { reason: 'job for the room created during the drain' },
    );
    const exit = await Promise.race([worker.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    expect(exit, `worker did not exit after the drain:\n${lab.workers.logs()}`).not.toBe('timeout');
    expect(exit).toMatchObject({ code: 143 });
    // It left only after the running job shut itself down.
    expect(marks(lab.server.trace, 'step.started', running.jobId).some((m) => m.data.step === 'shutdown')).toBe(true);
    expect(lab.server.trace.events().some((e) => e.kind === 'job.offered' && e.jobId === newJob.jobId && e.workerId === workerId)).toBe(false);
    expect(marks(lab.server.trace, 'entry.started').some((m) => m.data.room === 'drain-new')).toBe(false);
  }, 60_000);

  it('a rejected job goes to another worker', async () => {
    // A fixed load of 0 for both: with real CPU load a busy machine can push a worker to the 0.7 threshold.
    const rejecter = lab.workers.add(await launchNodeWorker({ target: lab.server, agentName: 'picky', script: { load: 0, requests: [{ action: 'reject' }] } }));
    const accepter = lab.workers.add(await launchNodeWorker({ target: lab.server, agentName: 'picky', script: { load: 0 } }));
    const [r, a] = await Promise.all([rejecter.waitReady(), accepter.waitReady()]);
    // The server picks a worker at random: dispatch until the rejecting worker has been offered one.
    let rejected: Extract<TraceEvent, { kind: 'job.rejected' }> | undefined;
    for (let i = 0; i < 16 && !rejected; i++) {
      await runJob(lab.server, `picky-${i}`, 'picky');
      rejected = lab.server.trace.events().find((e): e is Extract<TraceEvent, { kind: 'job.rejected' }> => e.kind === 'job.rejected' && e.workerId === r.workerId);
    }
    expect(rejected, 'the rejecting worker was never offered a job in 16 dispatches').toBeDefined();
    const entry = await waitFor(() => marks(lab.server.trace, 'entry.started', rejected!.jobId)[0], { reason: 'entry of the rejected job' });
    expect(entry.workerId).toBe(a.workerId);
    const pickyEntries = marks(lab.server.trace, 'entry.started').filter((m) => String(m.data.room).startsWith('picky-'));
    expect(pickyEntries.every((m) => m.workerId === a.workerId)).toBe(true);
  }, 90_000);
});
