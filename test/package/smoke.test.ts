import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../targets/free-port.ts';
import { groupAlive, killGroup } from '../../targets/process-group.ts';
import { eventually } from '../support/eventually.ts';
import { CONSUMER_MJS, CONSUMER_PACKAGE_JSON, CONSUMER_TS, CONSUMER_TSCONFIG, CONSUMER_VITEST } from './consumer-files.ts';

// The package as a new user gets it: `npm pack`, installed into a fresh project (from the npm cache), then used from
// strict TypeScript, plain JavaScript, `npx dispatch-lab` and a Vitest suite. Nothing here imports the repository's
// sources: a file missing from `files`, an export without its types or an asset left out of dist/ fails it.
const REPO = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const DEV_VERSIONS = ['typescript', 'vitest', '@types/node'];

let dir = '';
let tarball = '';
const sh = (cmd: string, args: string[], opts: { cwd?: string; timeout?: number } = {}) =>
  run(cmd, args, { cwd: opts.cwd ?? dir, timeout: opts.timeout ?? 240_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });

// eslint-disable-next-line no-control-regex -- the ESC of terminal colour codes
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

async function installedVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-smoke-'));
  // scripts/test.sh builds once before the suite; a run on its own packs through prepack, which builds.
  const packArgs = ['pack', '--json', '--pack-destination', dir, ...(process.env.DISPATCH_LAB_PREBUILT === '1' ? ['--ignore-scripts'] : [])];
  const packed = JSON.parse((await sh('npm', packArgs, { cwd: REPO })).stdout) as Array<{ filename: string; files: { path: string }[] }>;
  tarball = join(dir, packed[0]!.filename);
  await writeFile(join(dir, 'files.json'), JSON.stringify(packed[0]!.files.map((f) => f.path)));
  const app = join(dir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), CONSUMER_PACKAGE_JSON);
  const devs = await Promise.all(DEV_VERSIONS.map(async (n) => `${n}@${await installedVersion(n)}`));
  await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...devs], { cwd: app, timeout: 300_000 });
  await copyFile(join(REPO, 'scenarios/library/01-auto-dispatch.yaml'), join(app, 'my-bug.yaml'));
  dir = app;
}, 420_000);

afterAll(async () => {
  if (dir) await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('the packed package in a fresh project', () => {
  it('ships the build, the bin, the runner assets and the scenario library, and no tests, bench, fuzz or sources', async () => {
    const files = JSON.parse(await readFile(join(dir, '..', 'files.json'), 'utf8')) as string[];
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'CHANGELOG.md', 'bin/dispatch-lab.js', 'dist/cli-bundle/main.js', 'dist/mock-server/index.d.ts']));
    expect(files).toEqual(expect.arrayContaining(['dist/agent-runtime/node/node-runner.mjs', 'dist/agent-runtime/python/lab_runner.py', 'dist/cli-bundle/node/node-runner.mjs']));
    expect(files.filter((f) => /^(test|bench|fuzz|\.ci)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('scenarios/library/')).length).toBeGreaterThanOrEqual(25);
  });

  it('a strict TypeScript consumer (nodenext, noUncheckedIndexedAccess, no skipLibCheck for the package) type-checks with 0 errors', async () => {
    await writeFile(join(dir, 'tsconfig.json'), CONSUMER_TSCONFIG);
    await writeFile(join(dir, 'consumer.ts'), CONSUMER_TS);
    const r = await sh(join(dir, 'node_modules/.bin/tsc'), ['-p', '.']).catch((e: { stdout: string }) => e);
    expect(r.stdout.split('\n').filter((l) => l.includes('error TS'))).toEqual([]);
  });

  it('plain JavaScript imports startMockServer and the runtime launchers, starts a server and a Node worker, stops both', async () => {
    await writeFile(join(dir, 'consumer.mjs'), CONSUMER_MJS);
    const { stdout } = await sh(process.execPath, ['consumer.mjs']);
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ status: 200, body: 'OK', agentName: 'smoke' });
  });

  it('`npx dispatch-lab serve` answers GET /', async () => {
    const port = await freeTcpPort('127.0.0.1');
    const child = spawn('npx', ['dispatch-lab', 'serve', '--port', String(port), '--quiet'], { cwd: dir, detached: true, stdio: 'ignore' });
    try {
      await eventually(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
          return res?.status === 200 || `GET / on ${port}: ${res ? res.status : 'no answer yet'}`;
        },
        { timeoutMs: 30_000 },
      );
    } finally {
      killGroup(child.pid!, 'SIGTERM');
      await eventually(() => !groupAlive(child.pid!) || 'dispatch-lab serve still running after SIGTERM', { timeoutMs: 10_000 });
    }
  });

  it('`npx dispatch-lab run <scenario file>` passes, and `--help` answers', async () => {
    const { stdout } = await sh('npx', ['dispatch-lab', 'run', 'my-bug.yaml']);
    expect(stdout).toMatch(/auto-dispatch/);
    expect((await sh('npx', ['dispatch-lab', '--help'])).stdout).toMatch(/^dispatch-lab: /);
  });

  it('a Vitest suite in the consumer passes through the /vitest entry', async () => {
    await writeFile(join(dir, 'lab.test.ts'), CONSUMER_VITEST);
    const { stdout } = await sh(join(dir, 'node_modules/.bin/vitest'), ['run', '--root', dir, 'lab.test.ts']);
    expect(stripAnsi(stdout)).toMatch(/Tests\s+2 passed/);
  });
});
