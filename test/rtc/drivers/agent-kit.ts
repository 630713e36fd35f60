// An unmodified @livekit/agents 1.9.0 worker for the drivers that run one inside the test namespace.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentServer, initializeLogger, ServerOptions } from '@livekit/agents';
import type { StartedMockServer } from '../../../mock-server/index.ts';
import { waitFor } from '../../../agent-runtime/wait-for.ts';

export interface RunningAgentServer<E> {
  /** The JSON lines the agent wrote to AGENT_EVENTS_FILE so far. */
  events(): E[];
  close(): Promise<void>;
}

/** Starts AgentServer with `agent` against the mock and resolves once the worker registered. */
export async function startAgentServer<E>(server: StartedMockServer, agent: URL): Promise<RunningAgentServer<E>> {
  const eventsFile = join(mkdtempSync(join(tmpdir(), 'lab-agent-')), 'events.jsonl');
  process.env.AGENT_EVENTS_FILE = eventsFile; // the job processes inherit it
  initializeLogger({ pretty: false, level: 'warn' });
  const agentServer = new AgentServer(
    new ServerOptions({
      agent: fileURLToPath(agent),
      wsURL: server.url,
      apiKey: server.apiKey,
      apiSecret: server.apiSecret,
      numIdleProcesses: 0,
      production: false,
      simulation: true, // no health server on :8081, no load threshold
      // The mock applies livekit-server's load rule (no job when every worker reports load >= 0.7); the default load
      // is this machine's CPU, which parallel test files push past 0.7, so the test reports an idle worker.
      loadFunc: async () => 0,
    }),
  );
  const running = agentServer.run();
  await waitFor(() => server.trace.since(0).some((e) => e.kind === 'worker.registered'), { reason: 'worker registration', timeoutMs: 60_000 });
  return {
    events: () => (existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as E) : []),
    async close() {
      await agentServer.close();
      await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
    },
  };
}
