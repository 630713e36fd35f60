import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { guardSuite } from '../support/ci-guard.ts';

const ROOT = join(import.meta.dirname, '../..');

let cached: string | undefined | null = null;

/**
 * Makes the container backend usable for this test process: the lab's dockerd (scripts/docker-up.sh, idempotent;
 * it stays up for the other test files, and scripts/test.sh stops it at the end) and the local livekit image
 * (scripts/build-livekit-image.sh, idempotent). Returns why not, or undefined; sets DOCKER_HOST.
 */
export function containerUnavailableReason(): string | undefined {
  if (cached !== null) return cached;
  cached = (() => {
    const up = spawnSync('bash', [join(ROOT, 'scripts/docker-up.sh')], { encoding: 'utf8', env: process.env });
    const dockerHost = up.stdout.trim().split('\n').at(-1);
    if (up.status !== 0 || !dockerHost) return `scripts/docker-up.sh failed: ${(up.stderr || up.error?.message || '').trim().split('\n').at(-1)}`;
    process.env.DOCKER_HOST = dockerHost;
    // host networking only: testcontainers need not look for a bridge gateway (see targets/livekit-container.ts)
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    const build = spawnSync('bash', [join(ROOT, 'scripts/build-livekit-image.sh')], { encoding: 'utf8', env: process.env });
    if (build.status !== 0) return `scripts/build-livekit-image.sh failed: ${(build.stderr || build.error?.message || '').trim().split('\n').at(-1)}`;
    return undefined;
  })();
  return cached;
}

/**
 * What a machine without a container runtime gets instead of the container tests: in CI (CI=true) a failing test,
 * never a skip; elsewhere one visible skipped test that says why.
 */
export function guardContainer(reason: string | undefined, what = 'container tests'): void {
  guardSuite(reason, what, 'Docker');
}
