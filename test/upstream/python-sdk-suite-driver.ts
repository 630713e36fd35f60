// Runs LiveKit's own Python SDK end-to-end tests (the `tests/` of the `livekit` 1.1.21 sdist, installed by
// scripts/setup-python-sdk-tests.sh), unmodified, against the mock and against livekit-server v1.13.5 inside the
// test network namespace, with the project venv's livekit (the Rust SDK) and the environment their own CI gives
// them (LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET). pytest's JUnit XML gives each test's status.
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { venvPython } from '../../agent-runtime/index.ts';
import { onMockAndReal, runDriver } from '../rtc/drivers/driver-kit.ts';
import type { SuiteRun, TestStatus } from './upstream-results.ts';

const PYTHON_SDK_VERSION = '1.1.21';
// resolved: pytest names tests relative to --rootdir by their real path (.tools may be a symlink)
const PYTHON_SDK_TESTS_DIR = realpathSync(join(import.meta.dirname, `../../.tools/python-sdk-tests/${PYTHON_SDK_VERSION}/tests`));
/** Our own `utils` module (the sdist lacks the one the tests import) and the pytest settings (asyncio auto mode). */
const HELPERS_DIR = join(import.meta.dirname, 'python-sdk');
/**
 * The sdist's test files that connect to a server. The others (test_audio_stream_init, _room_lifecycle,
 * test_broadcast_queue, test_e2ee, test_ffi_client, test_ffi_handle_lifecycle, test_rpc_interceptors) are unit
 * tests of the SDK alone and say nothing about a server.
 */
const PYTHON_SDK_FILES = ['test_dc.py', 'test_audio.py', 'test_video.py', 'test_e2ee_shared_key.py', 'test_e2ee_per_participant.py', 'test_change_video_quality.py'];
/** pytest-timeout's limit per test, so a hang costs one test; above the slowest test's own waits (~110 s). */
const PER_TEST_TIMEOUT_S = 150;
/** A failed test runs once more (pytest-rerunfailures; the JUnit report's last entry is the final try), as the rtc-node suite retries. */
const RERUNS = 1;
/** A whole file's process is killed past this (a hang pytest-timeout cannot interrupt, e.g. inside the FFI). */
const PER_FILE_TIMEOUT_MS = 600_000;

const unescapeXml = (s: string): string =>
  s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (_, name: string, dec?: string, hex?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[name]!,
  );
const attr = (attrs: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1]!) : undefined;
};

/** pytest's JUnit XML → test id (pytest's node id, `file.py::[Class::]name`) → status and first failure line; a rerun test's last entry wins. */
function parseJunit(xml: string): Record<string, TestStatus> {
  const tests: Record<string, TestStatus> = {};
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const [file, ...classes] = (attr(m[1]!, 'classname') ?? '').split('.');
    const id = [`${file}.py`, ...classes, attr(m[1]!, 'name')].join('::');
    const body = m[2] ?? '';
    const problem = /<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    if (problem) {
      const text = (attr(problem[2]!, 'message') || unescapeXml(problem[3] ?? '').trim()).split('\n')[0];
      // the test file's line the failure went through (a bare "TimeoutError" says little on its own)
      const where = [...unescapeXml(problem[3] ?? '').matchAll(/^(test_\w+\.py:\d+): /gm)].at(-1)?.[1];
      tests[id] = { status: 'failed', message: `${problem[1] === 'error' ? 'error: ' : ''}${text}${where ? ` (at ${where})` : ''}` };
    } else if (/<skipped\b/.test(body)) tests[id] = { status: 'skipped', message: attr(body, 'message') };
    else tests[id] = { status: 'passed' };
  }
  return tests;
}

/** One pytest process per file, so a crash in the SDK's native library costs only that file's tests. */
async function runFile(file: string, env: NodeJS.ProcessEnv, dir: string): Promise<Record<string, TestStatus>> {
  const report = join(dir, `${file}.xml`);
  let log = '';
  const args = ['-m', 'pytest', file, '-c', join(HELPERS_DIR, 'pytest.ini'), '--rootdir', PYTHON_SDK_TESTS_DIR, '-p', 'no:cacheprovider', `--junitxml=${report}`, '-o', 'junit_family=xunit2', `--timeout=${PER_TEST_TIMEOUT_S}`, `--reruns=${RERUNS}`, '-q'];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(venvPython(), args, { cwd: PYTHON_SDK_TESTS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const guard = setTimeout(() => child.kill('SIGKILL'), PER_FILE_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', (c) => {
      clearTimeout(guard);
      resolve(c);
    });
  });
  const tests = parseJunit(await readFile(report, 'utf8').catch(() => ''));
  if (Object.keys(tests).length === 0) {
    // no report (killed, or collection failed): one failed entry with the end of pytest's output
    tests[file] = { status: 'failed', message: `pytest exit ${code} without a report: ${log.trim().split('\n').slice(-3).join(' | ')}` };
  }
  return tests;
}

async function runSuite(url: string, apiKey: string, apiSecret: string): Promise<SuiteRun> {
  const dir = await mkdtemp(join(tmpdir(), 'python-sdk-e2e-'));
  const started = Date.now();
  const env = { ...process.env, LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret, PYTHONPATH: HELPERS_DIR, PYTHONDONTWRITEBYTECODE: '1' };
  const tests: Record<string, TestStatus> = {};
  try {
    for (const file of PYTHON_SDK_FILES) Object.assign(tests, await runFile(file, env, dir));
    return { tests, durationMs: Date.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runDriver(() => onMockAndReal((target) => runSuite(target.wsUrl, target.apiKey, target.apiSecret)));
