import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type LabError } from '../../mock-server/core/errors.ts';
import { ContainerRuntimeUnavailableError } from '../../targets/errors.ts';
import { freeTcpPort } from '../../targets/free-port.ts';
import { LiveKitContainer } from '../../targets/livekit-container.ts';
import { ContainerImageMissingError, ContainerNeverReadyError, ContainerPortInUseError } from '../../targets/livekit-container-errors.ts';
import { NETNS_HOLDER_IMAGE } from '../../targets/livekit-image.ts';
import { containerUnavailableReason, guardContainer } from './livekit-container-env.ts';

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('start() unexpectedly resolved');
    },
    (e: unknown) => e as LabError,
  );

const quiet = { log: () => undefined };

// Every way LiveKitContainer.start() fails gives a typed error with a stable code and a one-line explanation.
describe('livekit-server container target: typed errors', () => {
  it('no runtime: DOCKER_HOST names a socket that does not exist', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/dispatch-lab/docker.sock';
    try {
      const err = await rejection(new LiveKitContainer(quiet).start());
      expect(err).toBeInstanceOf(ContainerRuntimeUnavailableError);
      expect(err.code).toBe('container_runtime_unavailable');
      expect(err.message).toContain('scripts/docker-up.sh');
      expect(err.message.split('\n')).toHaveLength(1);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });

  const unavailable = containerUnavailableReason();
  guardContainer(unavailable, 'container error tests');

  describe.runIf(!unavailable)('with a runtime', () => {
    const servers: Server[] = [];
    afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

    it('image missing: a lab-built tag that was never built is not pulled; the error says how to build it', async () => {
      const err = await rejection(new LiveKitContainer({ ...quiet, image: 'dispatch-lab/livekit-server:0.0.0-never-built-local' }).start());
      expect(err).toBeInstanceOf(ContainerImageMissingError);
      expect(err.code).toBe('container_image_missing');
      expect(err.message).toContain('bash scripts/build-livekit-image.sh');
      expect(err.message).toContain('docker pull livekit/livekit-server:v1.13.5');
      expect(err.message.split('\n')).toHaveLength(1);
    });

    it('port in use: the HTTP port it was given is taken on 127.0.0.1', async () => {
      const port = await freeTcpPort('127.0.0.1');
      // it answers nothing: the lab's readiness probe hits it too, so drop each connection at once
      const blocker = createServer((socket) => socket.destroy());
      servers.push(blocker);
      await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
      const err = await rejection(new LiveKitContainer(quiet).withPorts({ httpPort: port }).start());
      expect(err).toBeInstanceOf(ContainerPortInUseError);
      expect(err.code).toBe('container_port_in_use');
      expect((err as ContainerPortInUseError).port).toBe(port);
      expect((err as ContainerPortInUseError).lastLogLines.join('\n')).toMatch(/address already in use/);
      expect(err.message.split('\n')).toHaveLength(1);
    }, 60_000);

    it('never ready: an image that is not livekit-server exits; the error quotes its last log line', async () => {
      const err = await rejection(new LiveKitContainer({ ...quiet, image: NETNS_HOLDER_IMAGE, startupTimeoutMs: 10_000 }).start());
      expect(err).toBeInstanceOf(ContainerNeverReadyError);
      expect(err.code).toBe('container_never_ready');
      expect(err.message).toMatch(/the container exited; last log line: .*sleep/);
      expect(err.message.split('\n')).toHaveLength(1);
    }, 60_000);
  });
});
