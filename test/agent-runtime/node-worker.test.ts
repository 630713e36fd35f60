import { describe, expect, it } from 'vitest';
import { launchNodeWorker } from '../../agent-runtime/node-launcher.ts';
import { waitFor } from '../../agent-runtime/wait-for.ts';
import { marks } from '../support/runtime/marks.ts';
import { mockWithWorkers } from '../support/runtime/mock-with-workers.ts';
import { createRoom, dispatchAgent } from '../support/runtime/rooms.ts';

// Real @livekit/agents 1.9.0 workers (child processes, production mode) against the in-process mock.
describe('Node scripted worker against the mock', () => {
  const lab = mockWithWorkers();

  it('registers with the requested agent name and job type', async () => {
    const worker = lab.workers.add(await launchNodeWorker({ target: lab.server, script: {}, agentName: 'lab-agent', jobType: 'JT_PUBLISHER' }));
    const registered = await worker.waitReady();
    expect(registered).toMatchObject({ agentName: 'lab-agent', jobType: 'JT_PUBLISHER', version: '1.9.0' });
    expect(worker.workerId).toBe(registered.workerId);
  }, 30_000);

  it('accepts a job and the entry mark arrives from another process with the job metadata', async () => {
    const worker = lab.workers.add(
      await launchNodeWorker({
        target: lab.server,
        agentName: 'meta-agent',
        script: { requests: [{ action: 'accept', identity: 'scripted-bot', name: 'Bot' }], entry: [{ do: 'mark', name: 'hello' }] },
      }),
    );
    await worker.waitReady();
    await createRoom(lab.server, 'room-meta');
    await dispatchAgent(lab.server, 'room-meta', 'meta-agent', '{"k":1}');
    const entry = await waitFor(() => marks(lab.server.trace, 'entry.started')[0], { reason: 'entry.started mark', timeoutMs: 15_000 });
    expect(entry.data.pid).toEqual(expect.any(Number));
    expect(entry.data.pid).not.toBe(worker.pid);
    expect(entry.data).toMatchObject({ room: 'room-meta', metadata: '{"k":1}', identity: 'scripted-bot', runtime: 'node' });
    expect(entry.workerId).toBe(worker.workerId);
    await waitFor(() => marks(lab.server.trace, 'hello', entry.jobId)[0], { reason: 'custom mark from the entry' });
  }, 30_000);
});
