import { afterAll, afterEach, beforeAll } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../../mock-server/index.ts';
import { WorkerSet } from './workers.ts';

/**
 * For one describe block: a mock server (fast timing) for all its tests, and a WorkerSet whose workers
 * are disposed after each test, whatever the test did.
 */
export function mockWithWorkers(): { readonly server: StartedMockServer; readonly workers: WorkerSet } {
  let server: StartedMockServer | undefined;
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
  return {
    get server() {
      return server!;
    },
    workers,
  };
}
