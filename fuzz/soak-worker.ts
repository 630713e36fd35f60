import {
  AvailabilityResponse,
  JobStatus,
  JobType,
  RegisterWorkerRequest,
  ServerMessage,
  UpdateJobStatus,
  UpdateWorkerStatus,
  WorkerMessage,
  WorkerStatus,
} from '@livekit/protocol';
import WebSocket from 'ws';
import { sleep } from '../agent-runtime/wait-for.ts';
import { Rng } from './rng.ts';

export const AGENT_NAMES = ['soak-a', 'soak-b', 'soak-c'];

/** Shared by a soak run's workers: where they connect, when to stop, the sockets open now, and the counts. */
export interface ChurnState {
  url: string;
  token: string;
  seed: number;
  stopping: boolean;
  live: Set<WebSocket>;
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
    const ws = new WebSocket(state.url, { headers: { Authorization: `Bearer ${state.token}` }, perMessageDeflate: false });
    state.live.add(ws);
    state.connections++;
    ws.on('error', () => undefined);
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    const send = (message: WorkerMessage['message']) => ws.readyState === ws.OPEN && ws.send(new WorkerMessage({ message }).toBinary());
    const timers: NodeJS.Timeout[] = [];
    ws.on('message', (data: Buffer) => {
      let m: ServerMessage;
      try {
        m = ServerMessage.fromBinary(data);
      } catch {
        return;
      }
      if (m.message.case === 'register') state.registrations++;
      if (m.message.case === 'availability') {
        const job = m.message.value.job!;
        const r = wr.next();
        if (r < 0.03) return; // never answers: the offer times out
        if (r < 0.06) return void send({ case: 'availability', value: new AvailabilityResponse({ jobId: job.id, available: false }) });
        if (r < 0.08) return void send({ case: 'availability', value: new AvailabilityResponse({ jobId: job.id, terminate: true }) });
        send({ case: 'availability', value: new AvailabilityResponse({ jobId: job.id, available: true, participantIdentity: `agent-${job.id}` }) });
      }
      if (m.message.case === 'assignment' && wr.chance(0.6)) {
        const jobId = m.message.value.job!.id;
        timers.push(setTimeout(() => send({ case: 'updateJob', value: new UpdateJobStatus({ jobId, status: wr.chance(0.9) ? JobStatus.JS_SUCCESS : JobStatus.JS_FAILED, error: '' }) }), wr.int(300)));
      }
    });
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('close', () => resolve(false));
    });
    if (opened) {
      send({ case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, agentName, version: 'soak' }) });
      // report load a few times, then leave (cleanly or not) and come back
      const lifetime = 500 + wr.int(3_000);
      const until = Date.now() + lifetime;
      while (!state.stopping && Date.now() < until && ws.readyState === ws.OPEN) {
        await sleep(300 + wr.int(700));
        const load = wr.chance(0.1) ? 0.9 : wr.next() * 0.5;
        send({ case: 'updateWorker', value: new UpdateWorkerStatus({ load, status: load > 0.8 ? WorkerStatus.WS_FULL : WorkerStatus.WS_AVAILABLE }) });
      }
      if (wr.chance(0.7)) ws.close();
      else ws.terminate();
    }
    const t = setTimeout(() => ws.terminate(), 2_000);
    await closed;
    clearTimeout(t);
    for (const tm of timers) clearTimeout(tm);
    state.live.delete(ws);
    if (!state.stopping) await sleep(wr.int(400));
  }
}
