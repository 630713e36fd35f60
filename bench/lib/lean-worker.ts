import { AgentProtocolClient } from '../../protocol-worker/agent-protocol-client.ts';

export interface LeanWorkerHandlers {
  /** An AvailabilityRequest arrived (timestamp from performance.now(), taken when its frame arrived). */
  onAvailability?(room: string, jobId: string, at: number): void;
  onAssignment?(room: string, jobId: string, at: number): void;
}

export const workerToken = AgentProtocolClient.workerToken;

/**
 * The load generator's worker: the shared protocol-level worker (protocol-worker/, which imports nothing of the
 * mock it measures), registered JT_ROOM with agent name "", accepting every job at once, with the `ws` client
 * defaults as @livekit/agents connects. Nothing is recorded, and the answers to requests that arrived in one read
 * leave in one writev (`cork`): the load generator shares the 2 cores with the server, so a syscall per answer
 * slowed every column, the real server's too.
 */
export function leanWorker(url: string, token: string, handlers: LeanWorkerHandlers = {}): AgentProtocolClient {
  return new AgentProtocolClient({
    url,
    token,
    version: 'bench',
    record: false,
    cork: true,
    onMessage: ({ message: m }, at) => {
      if (m.case === 'availability' && m.value.job) handlers.onAvailability?.(m.value.job.room?.name ?? '', m.value.job.id, at);
      else if (m.case === 'assignment' && m.value.job) handlers.onAssignment?.(m.value.job.room?.name ?? '', m.value.job.id, at);
    },
  });
}

/** Connects and registers, giving up (and dropping the socket) after `timeoutMs`. */
export async function startLeanWorker(w: AgentProtocolClient, timeoutMs = 15_000): Promise<AgentProtocolClient> {
  const timer = setTimeout(() => void w.terminate(), timeoutMs);
  try {
    await w.connect();
    return await w.register(timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts `count` workers, `parallel` at a time. */
export async function startWorkers(url: string, token: string, count: number, handlers: LeanWorkerHandlers, parallel = 50): Promise<AgentProtocolClient[]> {
  const workers: AgentProtocolClient[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, () => leanWorker(url, token, handlers));
    workers.push(...batch);
    await Promise.all(batch.map((w) => startLeanWorker(w)));
  }
  return workers;
}
