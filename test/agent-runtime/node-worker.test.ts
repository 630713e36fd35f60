import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchNodeWorker } from '../../agent-runtime/node-launcher.ts';
import { waitFor } from '../../agent-runtime/wait-for.ts';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { marks } from './helpers/marks.ts';
import { createRoom, dispatchAgent } from './helpers/rooms.ts';
import { WorkerSet } from './helpers/workers.ts';

// Real @livekit/agents 1.9.0 workers (child processes, production mode) against the in-process mock.
describe('Node scripted worker against the mock', () => {
  let server: StartedMockServer;
  const workers = new WorkerSet();

  beforeAll(async () => {
    server = await startMockServer({ port: 0, timing: 'fast' });
  });
  afterEach(async () => {
    await workers.disposeAll();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('registers with the requested agent name and job type', async () => {
    const worker = workers.add(await launchNodeWorker({ target: server, script: {}, agentName: 'lab-agent', jobType: 'JT_PUBLISHER' }));
    const registered = await worker.waitReady();
    expect(registered).toMatchObject({ agentName: 'lab-agent', jobType: 'JT_PUBLISHER', version: '1.9.0' });
    expect(worker.workerId).toBe(registered.workerId);
  }, 30_000);

  it('accepts a job and the entry mark arrives from another process with the job metadata', async () => {
    const worker = workers.add(
      await launchNodeWorker({
        target: server,
        agentName: 'meta-agent',
        script: { requests: [{ action: 'accept', identity: 'scripted-bot', name: 'Bot' }], entry: [{ do: 'mark', name: 'hello' }] },
      }),
    );
    await worker.waitReady();
    await createRoom(server, 'room-meta');
    await dispatchAgent(server, 'room-meta', 'meta-agent', '{"k":1}');
    const entry = await waitFor(() => marks(server.trace, 'entry.started')[0], { reason: 'entry.started mark', timeoutMs: 15_000 });
    expect(entry.data.pid).toEqual(expect.any(Number));
    expect(entry.data.pid).not.toBe(worker.pid);
    expect(entry.data).toMatchObject({ room: 'room-meta', metadata: '{"k":1}', identity: 'scripted-bot', runtime: 'node' });
    expect(entry.workerId).toBe(worker.workerId);
    await waitFor(() => marks(server.trace, 'hello', entry.jobId)[0], { reason: 'custom mark from the entry' });
  }, 30_000);
});
