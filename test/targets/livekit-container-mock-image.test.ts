import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../targets/free-port.ts';
import { eventually } from '../support/eventually.ts';
import { containerUnavailableReason, guardContainer } from './livekit-container-env.ts';

const ROOT = join(import.meta.dirname, '../..');
const unavailable = containerUnavailableReason();

// The mock's own image (docker/mock.Dockerfile): built by scripts/build-mock-image.sh, started as CI systems and
// non-Node users run it (`docker run --network host dispatch-lab/mock:local serve --port N`).
describe('the mock as a container image', () => {
  guardContainer(unavailable, 'mock image test');

  it.runIf(!unavailable)('builds, runs as a non-root user with host networking, and answers GET / with 200', async () => {
    const build = spawnSync('bash', [join(ROOT, 'scripts/build-mock-image.sh')], { encoding: 'utf8', env: process.env });
    expect(build.status, build.stderr).toBe(0);
    const image = build.stdout.trim().split('\n').at(-1)!;
    expect(image).toBe('dispatch-lab/mock:local');

    const tc = await import('testcontainers');
    const client = await tc.getContainerRuntimeClient();
    expect((await client.image.inspect(tc.ImageName.fromString(image))).Config.User).toBe('65532:65532');

    const port = await freeTcpPort('127.0.0.1');
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'; // the lab's Docker has no bridge for the reaper (see livekit-image.ts)
    const started = await new tc.GenericContainer(image).withNetworkMode('host').withLabels({ 'dispatch-lab': '1' }).withCommand(['serve', '--port', String(port)]).start();
    try {
      await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/`).catch((e: Error) => e);
        return res instanceof Response && res.status === 200 ? '' : `GET / not 200 yet (${res instanceof Response ? res.status : res.message})`;
      }, { timeoutMs: 20_000, intervalMs: 50 });
      const logs = await new Promise<string>((resolve) => {
        let out = '';
        void started.logs().then((s) => s.on('data', (d: string) => (out += d)).on('end', () => resolve(out)));
        setTimeout(() => resolve(out), 1000).unref();
      });
      expect(logs).toContain(`ready at ws://127.0.0.1:${port}`);
    } finally {
      await started.stop();
    }
  }, 120_000);
});
