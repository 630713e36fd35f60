import type { JobType } from '@livekit/protocol';
import type { WorkerKey } from '../agent/worker-key.ts';

/**
 * Namespace fan-out (pkg/agent/client.go getDispatcher over the node's CheckEnabled answer,
 * pkg/service/agentservice.go CheckEnabled): the namespaces a job of this type and agent name goes to, one
 * job per namespace. A node lists all its namespaces and agent names for every job type it has any worker of.
 * - unnamed (`agentName` ""): the namespaces of that job type, possibly none (silently nothing, no log);
 * - named: undefined when the node lists no such agent name for the type ("not dispatching agent job since
 *   no worker is available").
 */
export function dispatchNamespaces(registered: readonly WorkerKey[], jobType: JobType, agentName: string): string[] | undefined {
  if (!registered.some((k) => k.jobType === jobType)) return agentName === '' ? [] : undefined;
  if (agentName !== '' && !registered.some((k) => k.agentName === agentName)) return undefined;
  return [...new Set(registered.map((k) => k.namespace))].sort();
}
