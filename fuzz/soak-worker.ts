import { JobStatus, WorkerStatus } from '@livekit/protocol';
import { AgentProtocolClient } from '../protocol-worker/agent-protocol-client.ts';
import { Rng } from './rng.ts';
import { sleep } from '../agent-runtime/wait-for.ts';

export const AGENT_NAMES = ['soak-a', 'soak-b', 'soak-c'];

/** Shared by a soak run's workers: where they connect, when to stop, the workers connected now, and the counts. */
export interface ChurnState {
  /** The server's ws base URL. */
  url: string;
  token: string;
  seed: number;
  stopping: boolean;
  live: Set<AgentProtocolClient>;
  connections: number;
  registrations: number;
}

/**
 * One soak worker, until `state.stopping`: connect, register, answer offers (now and then never, no, or
 * terminate), report some jobs done, report load a few times, leave cleanly or abruptly, come back.
 */
export async function churnWorker(state: ChurnState, index: number): Promise<void> {
  const wr = new Rng(state.seed * 7919 + index);
  const agentName = AGENT_NAMES[index % AGENT_NAMES.length];
  while (!state.stopping) {
    const timers: NodeJS.Timeout[] = [];
    const w: AgentProtocolClient = new AgentProtocolClient({
      url: state.url,
      token: state.token,
      agentName,
      version: 'soak',
      perMessageDeflate: false,
      record: false,
      answer: (job) => {
        const r = wr.next();
        if (r < 0.03) return 'ignore'; // never answers: the offer times out
        if (r < 0.06) return { available: false, participantIdentity: '' };
        if (r < 0.08) return { available: false, terminate: true, participantIdentity: '' };
        return { available: true, participantIdentity: `agent-${job.id}` };
      },
      onMessage: (m) => {
        if (m.message.case === 'register') state.registrations++;
        if (m.message.case === 'assignment' && wr.chance(0.6)) {
          const jobId = m.message.value.job!.id;
          timers.push(setTimeout(() => w.updateJob(jobId, wr.chance(0.9) ? JobStatus.JS_SUCCESS : JobStatus.JS_FAILED), wr.int(300)));
        }
      },
    });
    state.live.add(w);
    state.connections++;
    const opened = await w.connect().then(
      () => true,
      () => false,
    );
    if (opened) {
      w.register().catch(() => undefined); // counted when answered; a worker that leaves first is fine
      // report load a few times, then leave (cleanly or not) and come back
      const lifetime = 500 + wr.int(3_000);
      const until = Date.now() + lifetime;
      while (!state.stopping && Date.now() < until && w.isOpen) {
        await sleep(300 + wr.int(700));
        const load = wr.chance(0.1) ? 0.9 : wr.next() * 0.5;
        w.updateStatus(load, load > 0.8 ? WorkerStatus.WS_FULL : WorkerStatus.WS_AVAILABLE);
      }
      if (wr.chance(0.7)) await w.close();
      else await w.terminate();
    }
    for (const tm of timers) clearTimeout(tm);
    state.live.delete(w);
    if (!state.stopping) await sleep(wr.int(400));
  }
}
