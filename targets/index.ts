// `livekit-dispatch-lab/targets`: the servers a scenario can run against besides the mock. Everything else is internal.
export type { LiveKitTarget, TargetKind, TargetTrace } from './livekit-target.ts';
export { startLiveKitServer, StartedLiveKitServer, type StartLiveKitServerOptions } from './livekit-binary.ts';
export { LiveKitContainer, StartedLiveKitContainer, LIVEKIT_IMAGE } from './livekit-container.ts';
export { connectExternalTarget, ExternalTarget, type ExternalTargetOptions } from './external-target.ts';
export { startLiveKitCluster, StartedLiveKitCluster, type ClusterNodeOptions } from './livekit-cluster.ts';
export { resolveLiveKitServerBin } from './livekit-server-binary-path.ts';
export { LiveKitServerMissingError, ServerStartError, ContainerRuntimeUnavailableError, RedisMissingError } from './errors.ts';
