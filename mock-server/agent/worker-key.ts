import type { JobType } from '@livekit/protocol';

/** Workers are pooled by this key (agentservice.go workerKey); a job reaches only workers of its exact key. */
export interface WorkerKey {
  agentName: string;
  namespace: string;
  jobType: JobType;
  deployment: string;
}

export const workerKeyString = (k: WorkerKey): string =>
  JSON.stringify([k.agentName, k.namespace, k.jobType, k.deployment]);
