import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netnsUnavailableReason } from '../support/netns.ts';
import { guardNetns } from '../support/netns-guard.ts';
import { containerUnavailableReason, guardContainer } from '../targets/livekit-container-env.ts';
import { LIBRARY, libraryByMedia } from './library-files.ts';

const ROOT = join(import.meta.dirname, '../..');
const { publishing } = await libraryByMedia();
const publishingFiles = publishing.map((f) => join(LIBRARY, f));

/** The CLI as a user runs it; `as` runs it as another user (setpriv), to see what a machine without root gets. */
function cli(args: string[], opts: { as?: number } = {}): Promise<{ code: number | null; out: string }> {
  const node = [process.execPath, join(ROOT, 'bin/dispatch-lab.js'), ...args];
  const [cmd, ...argv] = opts.as === undefined ? node : ['setpriv', `--reuid=${opts.as}`, `--regid=${opts.as}`, '--clear-groups', ...node];
  const child = spawn(cmd!, argv, { cwd: ROOT, env: { ...process.env, HOME: '/tmp' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

// `dispatch-lab diff` (what `npm run diff` runs): a comparison that cannot be made on 127.0.0.1 (the publishing
// scenario needs media, media needs a non-loopback address) runs inside a private network namespace when this is
// root; otherwise it is "not compared" with its reason and exit status 3, never counted as DIFFERENT.
describe('dispatch-lab diff: the publishing scenario, where the comparison can be made', () => {
  it('finds the library scenarios that publish', () => expect(publishing.length).toBeGreaterThan(0));

  const netns = netnsUnavailableReason();
  guardNetns(netns, 'publishing diff through the CLI');
  const container = containerUnavailableReason();
  guardContainer(container, 'container diff through the CLI');

  it.runIf(!netns)('as root, on the binary: runs it in a namespace and exits 0 (same)', async () => {
    const r = await cli(['diff', ...publishingFiles]);
    expect(r.out).toMatch(new RegExp(`${publishing.length} of ${publishing.length} compared scenarios give the same outcomes`));
    expect(r.out).not.toMatch(/DIFFERENT|NOT COMPARED/);
    expect(r.code, r.out).toBe(0);
  }, 180_000);

  it.runIf(!netns && !container)('as root, on the container: the container joins a holder container\'s namespace; exits 0 (same)', async () => {
    const r = await cli(['diff', '--against', 'container', ...publishingFiles]);
    expect(r.out).toMatch(new RegExp(`${publishing.length} of ${publishing.length} compared scenarios give the same outcomes on the mock and on livekit-server v1.13.5 in a container`));
    expect(r.code, r.out).toBe(0);
  }, 180_000);

  it.runIf(!netns)('without root: not compared, with the reason, exit status 3', async () => {
    const r = await cli(['diff', ...publishingFiles], { as: 65534 });
    expect(r.out).toMatch(/NOT COMPARED/);
    expect(r.out).toMatch(/needs media.*no network namespace can be made here \(.*needs root\)/);
    expect(r.out).toMatch(new RegExp(`0 of 0 compared scenarios .*; ${publishing.length} not compared`));
    expect(r.out).not.toMatch(/DIFFERENT/);
    expect(r.code, r.out).toBe(3);
  }, 60_000);
});

describe('dispatch-lab run --against container', () => {
  const container = containerUnavailableReason();
  guardContainer(container, 'run --against container');
  it.runIf(!container)('runs library scenarios on livekit-server in a container', async () => {
    const r = await cli(['run', '--against', 'container', join(LIBRARY, '03-explicit-dispatch-api.yaml'), join(LIBRARY, '12-reject-then-another-worker.yaml')]);
    expect(r.out).toContain('2 scenario(s) against container');
    expect(r.out).toMatch(/2 scenario\(s\): 2 passed, 0 failed/);
    expect(r.code, r.out).toBe(0);
  }, 120_000);

  it('rejects an unknown backend with a one-line usage error', async () => {
    const r = await cli(['diff', '--against', 'podman', join(LIBRARY, '03-explicit-dispatch-api.yaml')]);
    // one line, then the command's usage (cli/args.ts)
    expect(r.out.trim().split('\n')[0]).toBe('dispatch-lab diff: --against must be livekit or container; got "podman"');
    expect(r.out).toContain('Usage: dispatch-lab diff');
    expect(r.code).toBe(2);
  }, 60_000);
});
