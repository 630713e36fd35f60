import { LabError } from '../mock-server/core/errors.ts';

/** The livekit-server image is neither on this Docker nor pullable from a registry it reaches. */
export class ContainerImageMissingError extends LabError {
  constructor(
    readonly image: string,
    detail: string,
  ) {
    super(
      'container_image_missing',
      `image ${image} is not on this Docker (${detail}): build the local one with \`bash scripts/build-livekit-image.sh\` (then it is used, or set LIVEKIT_IMAGE), or \`docker pull livekit/livekit-server:v1.13.5\` where Docker reaches a registry`,
    );
  }
}

/** livekit-server in the container could not listen: a port the lab was given is taken. */
export class ContainerPortInUseError extends LabError {
  constructor(
    readonly port: number | undefined,
    readonly lastLogLines: string[],
  ) {
    super(
      'container_port_in_use',
      `livekit-server in the container could not listen: ${port === undefined ? 'a port' : `port ${port}`} is already in use on this host (host networking); free it, or leave the ports to the lab (it picks free ones)`,
    );
  }
}

/** The container started but livekit-server never answered `GET /` with 200 (or the container exited). */
export class ContainerNeverReadyError extends LabError {
  constructor(
    readonly image: string,
    detail: string,
    readonly lastLogLines: string[],
  ) {
    const last = lastLogLines.at(-1);
    super('container_never_ready', `livekit-server in ${image} never became ready: ${detail}${last ? `; last log line: ${last.slice(0, 200)}` : '; it logged nothing'}`);
  }
}
