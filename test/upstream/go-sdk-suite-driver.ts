// Runs server-sdk-go's own integration tests (integration_test.go, reconnect_test.go, built from its Go module
// by scripts/build-go-sdk-tests.sh), unmodified, against the mock and against livekit-server v1.13.5 inside the
// test network namespace. The tests dial ws://localhost:7880 with LIVEKIT_KEYS, as under their own `mage test`,
// so each server in turn takes that port; ICE runs on the namespace's veth address.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer } from '../../targets/livekit-binary.ts';
import { runDriver, serverAddress } from '../rtc/drivers/driver-kit.ts';
import type { SuiteRun, TestStatus } from './upstream-results.ts';

const BINARY = join(import.meta.dirname, '../../.tools/bin/server-sdk-go-v2.19.0.test');
/** The top-level tests of integration_test.go and reconnect_test.go (the module's other files are unit tests). */
export const GO_SDK_TESTS = [
  'TestJoin', 'TestPublishDTMF', 'TestJoinError', 'TestJoinSinglePeerConnection', 'TestPublishRequiresSinglePC', 'TestPubSub',
  'TestResume', 'TestForceTLS', 'TestSubscribeMutedTrack', 'TestLimitPayloadSize', 'TestPublishTrackMimeType', 'TestSimulcastCodec',
  'TestE2EE_H264RoundTrip', 'TestDynacastRepublish', 'TestRegionFallbackConnects', 'TestRegionFallbackSignalFailure',
];
const RESULT = /^\s*--- (PASS|FAIL|SKIP): (\S+)/;
const PER_TEST_TIMEOUT_S = 60;

/** One process per top-level test, so a test that hangs until its timeout costs only itself. */
async function runTest(name: string, apiKey: string, apiSecret: string): Promise<string> {
  let log = '';
  await new Promise<void>((resolve) => {
    const child = spawn(BINARY, ['-test.v', '-test.count=1', `-test.timeout=${PER_TEST_TIMEOUT_S}s`, `-test.run=^${name}$`], {
      env: { ...process.env, LIVEKIT_KEYS: `${apiKey}: ${apiSecret}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', () => resolve());
  });
  if (!log.includes(`: ${name} (`)) log += `\n--- FAIL: ${name} (no result: the test binary ended without one, e.g. at its ${PER_TEST_TIMEOUT_S} s timeout)\n`;
  return log;
}

async function runSuite(apiKey: string, apiSecret: string): Promise<SuiteRun> {
  const started = Date.now();
  const tests: Record<string, TestStatus> = {};
  for (const name of GO_SDK_TESTS) {
    const lines = (await runTest(name, apiKey, apiSecret)).split('\n');
    lines.forEach((line, i) => {
      const m = RESULT.exec(line);
      if (!m) return;
      const status = m[1] === 'PASS' ? 'passed' : m[1] === 'FAIL' ? 'failed' : 'skipped';
      // testify prints the failed assertion's "Error:" block just before the --- FAIL line
      const before = lines.slice(Math.max(0, i - 15), i);
      const message = status === 'failed' ? (before.find((l) => /\sError:\s/.test(l)) ?? before.find((l) => /error"=/.test(l)) ?? line).trim() : undefined;
      tests[m[2]!] = { status, message };
    });
  }
  return { tests, durationMs: Date.now() - started };
}

runDriver(async () => {
  const host = serverAddress();
  const mock = await startMockServer({ host: '127.0.0.1', port: 7880 });
  let onMock: SuiteRun;
  try {
    onMock = await runSuite(mock.apiKey, mock.apiSecret);
  } finally {
    await mock.close();
  }
  const real = await startLiveKitServer({ bindAddress: '127.0.0.1', httpPort: 7880, nodeIp: host });
  try {
    return { mock: onMock, real: await runSuite(real.apiKey, real.apiSecret) };
  } finally {
    await real.dispose();
  }
});
