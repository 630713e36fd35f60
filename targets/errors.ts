import { SERVER_VERSION } from '../mock-server/config/server-version.ts';
import { LabError } from '../mock-server/core/errors.ts';

/** No livekit-server binary: neither LIVEKIT_SERVER_BIN nor the project's .tools/bin copy. */
export class LiveKitServerMissingError extends LabError {
  constructor(detail: string) {
    super('livekit_server_missing', `livekit-server v${SERVER_VERSION} is not installed (${detail}); run \`npm run setup:livekit\` or set LIVEKIT_SERVER_BIN`);
  }
}

/** A livekit-server (or redis-server) process did not become ready, or exited while starting. */
export class ServerStartError extends LabError {
  constructor(
    message: string,
    readonly lastLogLines: string[] = [],
  ) {
    super('server_start_failed', lastLogLines.length ? `${message}\n--- last log lines ---\n${lastLogLines.join('\n')}` : message);
  }
}

/** testcontainers found no Docker/Podman socket; the container backend cannot run on this machine. */
export class ContainerRuntimeUnavailableError extends LabError {
  constructor(
    override readonly cause?: unknown,
    where = 'no Docker/Podman socket found',
  ) {
    super(
      'container_runtime_unavailable',
      `no container runtime (${where}): start the lab's Docker with \`export DOCKER_HOST="$(bash scripts/docker-up.sh)"\`, set DOCKER_HOST to yours, or use the binary backend (npm run setup:livekit)`,
    );
  }
}

/** Debian's redis-server is needed for the two-node cluster target. */
export class RedisMissingError extends LabError {
  constructor() {
    super('redis_missing', 'redis-server is not installed (needed for the cluster target); run `npm run setup:livekit` as root or `apt-get install -y redis-server`');
  }
}
