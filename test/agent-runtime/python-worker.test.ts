import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launchPythonWorker, venvPython } from '../../agent-runtime/python-launcher.ts';
import { waitFor } from '../../agent-runtime/wait-for.ts';
import { marks } from '../support/runtime/marks.ts';
import { mockWithWorkers } from '../support/runtime/mock-with-workers.ts';
import { createRoom, dispatchAgent } from '../support/runtime/rooms.ts';

// Real livekit-agents 1.8.x workers from the project venv (`npm run setup:python`; `npm test` creates it).
// Without the venv a developer sees the suite skipped; CI (CI=true) runs `npm test`, so it is never skipped there.
describe.skipIf(!existsSync(venvPython()) && !process.env.CI)('Python scripted worker against the mock', () => {
  const lab = mockWithWorkers();

  it('registers with name and type, runs an entry in its own process and reports the job status', async () => {
    const worker = lab.workers.add(
      await launchPythonWorker({
        target: lab.server,
        agentName: 'py-agent',
        jobType: 'JT_ROOM',
        script: { entry: [{ do: 'mark', name: 'inside' }, { do: 'shutdown', reason: 'done' }] },
      }),
    );
    const registered = await worker.waitReady(60_000);
    expect(registered).toMatchObject({ agentName: 'py-agent', jobType: 'JT_ROOM' });
    await createRoom(lab.server, 'py-room');
    await dispatchAgent(lab.server, 'py-room', 'py-agent', 'py-meta');
    const entry = await waitFor(() => marks(lab.server.trace, 'entry.started')[0], { reason: 'Python entry.started', timeoutMs: 30_000 });
    expect(entry.data).toMatchObject({ runtime: 'python', room: 'py-room', metadata: 'py-meta' });
    expect(entry.data.pid).not.toBe(worker.pid);
    expect(entry.workerId).toBe(worker.workerId);
    await waitFor(() => marks(lab.server.trace, 'inside', entry.jobId)[0], { reason: 'custom mark' });
    // Unlike Node, Python reports the job's life with UpdateJobStatus: JS_RUNNING, then JS_SUCCESS after shutdown().
    const statuses = await waitFor(
      () => {
        const s = lab.server.trace.events().filter((e) => e.kind === 'job.status' && e.jobId === entry.jobId);
        return s.some((e) => e.kind === 'job.status' && e.status === 'JS_SUCCESS') && s;
      },
      { reason: 'JS_SUCCESS from the Python worker', timeoutMs: 20_000 },
    );
    expect(statuses.map((e) => (e.kind === 'job.status' ? e.status : ''))).toContain('JS_RUNNING');
  }, 90_000);
});
