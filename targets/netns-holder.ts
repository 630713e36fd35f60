import { ContainerImageMissingError } from './livekit-container-errors.ts';
import { imageExists, NETNS_HOLDER_IMAGE, reaperOrDisable } from './livekit-image.ts';

export interface NetnsHolder {
  id: string;
  /** Its process on the host: /proc/<pid>/ns/net is the namespace. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * A container that only holds an empty network namespace (--network none): other containers join it with
 * --network container:<id>, and the lab's processes enter it with nsenter (docker/netns-holder.Dockerfile).
 */
export async function startNetnsHolder(): Promise<NetnsHolder> {
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1'; // see livekit-container.ts: no bridge to look for
  const tc = await import('testcontainers');
  const client = await tc.getContainerRuntimeClient();
  if (!(await imageExists(client, NETNS_HOLDER_IMAGE))) throw new ContainerImageMissingError(NETNS_HOLDER_IMAGE, 'it is built here and never pulled');
  await reaperOrDisable(client, false, (l) => process.stderr.write(`${l}\n`));
  const started = await new tc.GenericContainer(NETNS_HOLDER_IMAGE).withNetworkMode('none').withLabels({ 'dispatch-lab': '1' }).start();
  const pid = (await client.container.inspect(client.container.getById(started.getId()))).State.Pid;
  return { id: started.getId(), pid, stop: async () => void (await started.stop()) };
}
