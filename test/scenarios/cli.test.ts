import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner, REPO_ROOT as ROOT } from '../support/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'dispatch-lab-cli-'));
const { cli, stopAll } = cliRunner(dir);

afterAll(stopAll);

const failing = join(dir, 'wrong-expectation.yaml');
writeFileSync(
  failing,
  `name: wrong-expectation
description: expects a JT_PARTICIPANT job from a JT_ROOM worker, which never comes
reproduces: this test
steps:
  - worker: { id: w1, jobType: JT_ROOM }
  - join: { room: r1, identity: alice }
  - expect: { jobs: 1, type: JT_PARTICIPANT, worker: w1, within: 500 }
`,
);
const invalid = join(dir, 'invalid.yaml');
writeFileSync(invalid, 'name: broken\ndescription: d\nreproduces: r\nsteps:\n  - worker: { id: w1, load: 3 }\n');

describe('dispatch-lab CLI', () => {
  it('prints help for the tool and for each command', async () => {
    const main = await cli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('dispatch-lab run <files or folders...>');
    const run = await cli(['run', '--help']);
    expect(run.stdout).toContain('--against <mock|livekit|container|url>');
    const explain = await cli(['help', 'explain']);
    expect(explain.stdout).toContain('--events <file.jsonl>');
  });

  it('exits 0 with a progress line and a summary when every scenario passes', async () => {
    const r = await cli(['run', join(ROOT, 'scenarios/library/01-auto-dispatch.yaml'), join(ROOT, 'scenarios/library/13-all-workers-reject.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[1\/2\] PASS +auto-dispatch/);
    expect(r.stdout).toMatch(/\[2\/2\] PASS +all-workers-reject/);
    expect(r.stdout).toContain('2 scenario(s): 2 passed, 0 failed');
  }, 60_000);

  it('exits 1 when a scenario fails, saying what was expected and seen; explain gives the drop reason', async () => {
    const r = await cli(['run', failing, '--junit', 'out/junit.xml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[1\/1\] FAIL +wrong-expectation/);
    expect(r.stdout).toContain('wrong-expectation.yaml:7: steps[2] expect: expected exactly 1 job(s) offered with type=JT_PARTICIPANT worker=w1 within 500 ms');
    expect(r.stdout).toContain('seen: 0 matching');
    expect(r.stdout).toContain('no worker for agent "" with type JT_PARTICIPANT; registered: "" as JT_ROOM');
    expect(readFileSync(join(dir, 'out/junit.xml'), 'utf8')).toContain('failures="1"');
    const explained = await cli(['explain']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/JT_PARTICIPANT room r1 agent "" for alice: never offered → DROPPED: no worker for agent ""/);
  }, 60_000);

  it('reports an invalid file with file:line: field and exits 1 without a stack trace', async () => {
    const r = await cli(['run', invalid]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INVALID');
    expect(r.stdout).toContain('invalid.yaml:5: steps[0].worker.load: must be <= 1; got 3');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
  }, 30_000);

  it('--runtime runs one variant of a runtimes: matrix, and scenarios without a matrix as before', async () => {
    const r = await cli(['run', join(ROOT, 'scenarios/library/telephony/26-telephony-inbound-named-agent.yaml'), join(ROOT, 'scenarios/library/01-auto-dispatch.yaml'), '--runtime', 'node']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('[node]');
    expect(r.stdout).not.toContain('[python]');
    expect(r.stdout).toContain('2 scenario(s): 2 passed, 0 failed');
  }, 120_000);

  it('rejects bad usage with exit 2 and one line', async () => {
    const unknown = await cli(['frob']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frob"');
    const bad = await cli(['run', failing, '--against', 'nowhere']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--against must be mock, livekit, container or a ws://');
    const badRuntime = await cli(['run', failing, '--runtime', 'ruby']);
    expect(badRuntime.code).toBe(2);
    expect(badRuntime.stderr).toContain('--runtime must be node or python');
    const noFiles = await cli(['run']);
    expect(noFiles.code).toBe(2);
    expect(noFiles.stderr).toContain('give at least one scenario file or folder');
  }, 30_000);
});
