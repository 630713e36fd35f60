import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ContainerRuntimeUnavailableError } from '../../targets/errors.ts';
import { LiveKitContainer } from '../../targets/livekit-container.ts';

// A cheap hint only; the test branches on what start() actually does.
const runtimeLikely = Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');

describe('livekit-server container target', () => {
  it.runIf(!runtimeLikely)('rejects with ContainerRuntimeUnavailableError when no container runtime exists', async () => {
    const err = await new LiveKitContainer().withKeys('devkey', 'secret').start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ContainerRuntimeUnavailableError);
    expect((err as ContainerRuntimeUnavailableError).code).toBe('container_runtime_unavailable');
    expect((err as Error).message.split('\n')).toHaveLength(1);
  }, 60_000);

  it.runIf(runtimeLikely)('starts the image and answers GET / with 200', async () => {
    await using target = await new LiveKitContainer().withKeys('devkey', 'secret_secret_secret_secret_secret_0').start();
    expect(target.kind).toBe('livekit-container');
    expect((await fetch(`${target.httpUrl}/`)).status).toBe(200);
  }, 180_000);
});
