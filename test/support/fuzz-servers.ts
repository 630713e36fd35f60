import { afterAll, beforeAll } from 'vitest';
import { startMockServer, type MockServerOptions, type StartedMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';

/** The short fuzz runs' seed: FUZZ_SEED, else the day, so a failure reproduces for the rest of the day. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Date.now() / 86_400_000));

/**
 * For one describe block: the mock (fast timing, seeded with FUZZ_SEED, plus `mockOptions`) and a real
 * livekit-server, started before the tests and stopped after them.
 */
export function fuzzServers(mockOptions: MockServerOptions = {}): { readonly mock: StartedMockServer; readonly real: StartedLiveKitServer } {
  let mock: StartedMockServer | undefined;
  let real: StartedLiveKitServer | undefined;
  beforeAll(async () => {
    mock = await startMockServer({ port: 0, timing: 'fast', seed: FUZZ_SEED, ...mockOptions });
    real = await startLiveKitServer();
  }, 90_000);
  afterAll(async () => {
    await mock?.close();
    await real?.dispose();
  }, 60_000);
  return {
    get mock() {
      return mock!;
    },
    get real() {
      return real!;
    },
  };
}
