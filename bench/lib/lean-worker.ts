import { AvailabilityResponse, JobType, RegisterWorkerRequest, ServerMessage, WorkerMessage } from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import type { Socket } from 'node:net';
import WebSocket from 'ws';

export interface LeanWorkerHandlers {
  /** An AvailabilityRequest arrived (timestamp from performance.now()). */
  onAvailability?(room: string, jobId: string, at: number): void;
  onAssignment?(room: string, jobId: string, at: number): void;
}

export async function workerToken(apiKey: string, apiSecret: string): Promise<string> {
  const at = new AccessToken(apiKey, apiSecret);
  at.addGrant({ agent: true });
  return at.toJwt();
}

/**
 * A minimal protocol-level worker for load: one ws, binary protobuf, registers JT_ROOM with agent name "",
 * accepts every job at once. Uses the `ws` client defaults, as @livekit/agents does.
 */
export class LeanWorker {
  ws!: WebSocket;
  workerId = '';
  closed = false;
  #registered?: () => void;
  #corked = false;

  constructor(
    readonly url: string,
    readonly token: string,
    readonly handlers: LeanWorkerHandlers = {},
  ) {}

  /** Opens the socket, registers, and resolves with the time register was answered. */
  start(timeoutMs = 15_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.ws?.terminate();
        reject(new Error(`worker did not register within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#registered = () => {
        clearTimeout(timer);
        resolve();
      };
      this.ws = new WebSocket(`${this.url}/agent`, { headers: { Authorization: `Bearer ${this.token}` } });
      this.ws.binaryType = 'nodebuffer';
      this.ws.on('open', () => {
        const reg = new WorkerMessage({ message: { case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, agentName: '', version: 'bench' }) } });
        this.ws.send(reg.toBinary());
      });
      this.ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
      this.ws.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      this.ws.on('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        reject(new Error(`upgrade refused: ${res.statusCode}`));
      });
      this.ws.on('close', () => (this.closed = true));
    });
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const at = performance.now();
    if (!isBinary) return;
    const msg = ServerMessage.fromBinary(data);
    const m = msg.message;
    if (m.case === 'register') {
      this.workerId = m.value.workerId;
      this.#registered?.();
    } else if (m.case === 'availability') {
      const job = m.value.job!;
      this.handlers.onAvailability?.(job.room?.name ?? '', job.id, at);
      const res = new WorkerMessage({ message: { case: 'availability', value: new AvailabilityResponse({ jobId: job.id, available: true, participantIdentity: `agent-${job.id}` }) } });
      this.#coalesce();
      this.ws.send(res.toBinary());
    } else if (m.case === 'assignment') {
      const job = m.value.job!;
      this.handlers.onAssignment?.(job.room?.name ?? '', job.id, at);
    }
  }

  /**
   * Answers to requests that arrived in one read leave in one writev: the load generator shares the
   * 2 cores with the server it measures, so a syscall per answer slowed every column, the real server's too.
   */
  #coalesce(): void {
    if (this.#corked) return;
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (!socket) return;
    this.#corked = true;
    socket.cork();
    setImmediate(() => {
      this.#corked = false;
      socket.uncork();
    });
  }

  close(): void {
    if (!this.closed) this.ws?.terminate();
  }
}

/** Starts `count` workers, `parallel` at a time. */
export async function startWorkers(url: string, token: string, count: number, handlers: LeanWorkerHandlers, parallel = 50): Promise<LeanWorker[]> {
  const workers: LeanWorker[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, () => new LeanWorker(url, token, handlers));
    workers.push(...batch);
    await Promise.all(batch.map((w) => w.start()));
  }
  return workers;
}
