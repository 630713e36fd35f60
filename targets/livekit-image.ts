import type { ContainerRuntimeClient } from 'testcontainers';

/** The official image: the default for a Docker that reaches a registry. */
export const LIVEKIT_OFFICIAL_IMAGE = 'livekit/livekit-server:v1.13.5';
/** Built here by scripts/build-livekit-image.sh from the go-built binary; the tag says it is not the official one. */
export const LIVEKIT_LOCAL_IMAGE = 'dispatch-lab/livekit-server:1.13.5-local';
/** Holds a private network namespace for publishing runs (docker/netns-holder.Dockerfile). */
export const NETNS_HOLDER_IMAGE = 'dispatch-lab/netns-holder:local';
/** testcontainers' reaper image (its default, or RYUK_CONTAINER_IMAGE as testcontainers reads it). */
const REAPER_IMAGE = process.env.RYUK_CONTAINER_IMAGE ?? 'testcontainers/ryuk:0.14.0';

/** Images the lab builds itself: no registry has them, so they are never pulled. */
export const isLabBuiltImage = (image: string): boolean => image.startsWith('dispatch-lab/') || image.endsWith('-local');

/**
 * Which livekit-server image to run: the one asked for, else LIVEKIT_IMAGE, else the local build when it is
 * on this Docker, else the official image (pulled when missing).
 */
export async function resolveLiveKitImage(client: ContainerRuntimeClient, asked?: string): Promise<string> {
  if (asked) return asked;
  if (process.env.LIVEKIT_IMAGE) return process.env.LIVEKIT_IMAGE;
  return (await imageExists(client, LIVEKIT_LOCAL_IMAGE)) ? LIVEKIT_LOCAL_IMAGE : LIVEKIT_OFFICIAL_IMAGE;
}

export async function imageExists(client: ContainerRuntimeClient, image: string): Promise<boolean> {
  const { ImageName } = await import('testcontainers');
  return client.image.exists(ImageName.fromString(image));
}

let reaperChecked = false;

/**
 * Keeps testcontainers' reaper (Ryuk, which removes containers a killed test run left) unless it cannot be had:
 * its image is not on this Docker and cannot be pulled (with a lab-built image the lab pulls nothing), or the
 * daemon has no bridge network to publish its port on (the lab's own daemon runs with --bridge=none). Then it is
 * disabled, and the log line says why; containers are still removed by dispose(), and by scripts/docker-down.sh.
 */
export async function reaperOrDisable(client: ContainerRuntimeClient, mayPull: boolean, log: (line: string) => void): Promise<void> {
  if (reaperChecked || process.env.TESTCONTAINERS_RYUK_DISABLED) return;
  reaperChecked = true;
  const why = await (async () => {
    const bridge = await client.network.getById('bridge').inspect().then(
      () => true,
      () => false,
    );
    if (!bridge) return 'this Docker has no bridge network to publish its port on (host networking only)';
    if (await imageExists(client, REAPER_IMAGE)) return undefined;
    if (!mayPull) return `its image ${REAPER_IMAGE} is not on this Docker, and with a lab-built livekit image nothing is pulled`;
    const { ImageName } = await import('testcontainers');
    return client.image.pull(ImageName.fromString(REAPER_IMAGE)).then(
      () => undefined,
      (e: unknown) => `its image ${REAPER_IMAGE} cannot be pulled (${(e as Error).message.split('\n')[0]})`,
    );
  })();
  if (!why) return;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  log(`dispatch-lab: testcontainers' reaper (Ryuk) disabled: ${why}; the lab removes its containers on dispose() and in scripts/docker-down.sh`);
}
