// Runs @livekit/rtc-node's own end-to-end suites (shipped in its npm tarball, src/tests/e2e*.test.ts), unmodified,
// against the mock and against livekit-server v1.13.5, inside the test network namespace (libwebrtc needs a
// non-loopback address). Each run is a separate Vitest process rooted in the package, with the environment its
// own CI gives it (LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET); the JSON report gives each test's status.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onMockAndReal, runDriver } from '../rtc/drivers/driver-kit.ts';
import type { SuiteRun, TestStatus } from './upstream-results.ts';

const require = createRequire(import.meta.url);
// the package's exports hide package.json; its main entry sits in dist/
const RTC_NODE_DIR = join(dirname(require.resolve('@livekit/rtc-node')), '..');
const VITEST = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const FILES = ['src/tests/e2e.test.ts', 'src/tests/e2e_data_streams.test.ts'];

interface VitestJson {
  testResults: { name: string; assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[];
}

async function runSuite(url: string, apiKey: string, apiSecret: string): Promise<SuiteRun> {
  const dir = await mkdtemp(join(tmpdir(), 'rtc-node-e2e-'));
  const out = join(dir, 'report.json');
  const started = Date.now();
  let log = '';
  // The files sit under node_modules, which Vitest excludes and externalises by default: a config of our own
  // includes them and lets Vite transform the package's TypeScript sources they import.
  const config = join(dir, 'vitest.config.mjs');
  await writeFile(config, `export default { test: { root: ${JSON.stringify(RTC_NODE_DIR)}, include: ${JSON.stringify(FILES)}, exclude: [], server: { deps: { inline: [/@livekit\\/rtc-node/] } } } };\n`);
  try {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [VITEST, 'run', `--config=${config}`, '--reporter=json', `--outputFile=${out}`, '--maxWorkers=1', '--no-file-parallelism', '--retry=2'], {
        cwd: RTC_NODE_DIR,
        env: { ...process.env, LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr.on('data', (d: Buffer) => (log += d.toString()));
      child.on('exit', resolve);
    });
    const report = JSON.parse(await readFile(out, 'utf8').catch(() => '{"testResults":[]}')) as VitestJson;
    const tests: Record<string, TestStatus> = {};
    for (const file of report.testResults) {
      for (const t of file.assertionResults) {
        tests[t.fullName] = { status: t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped', message: t.failureMessages?.[0]?.split('\n')[0] };
      }
    }
    if (Object.keys(tests).length === 0) throw new Error(`rtc-node's suite ran no test (vitest exit ${code}):\n${log.slice(-3000)}`);
    return { tests, durationMs: Date.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runDriver(() => onMockAndReal((target) => runSuite(target.wsUrl, target.apiKey, target.apiSecret)));
