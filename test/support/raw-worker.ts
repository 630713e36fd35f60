import {
  AvailabilityResponse,
  JobType,
  type ParticipantPermission,
  RegisterWorkerRequest,
  ServerMessage,
  UpdateWorkerStatus,
  WorkerMessage,
  type WorkerStatus,
  type Job,
} from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import WebSocket from 'ws';
import { eventually } from './eventually.ts';

export interface RawWorkerOptions {
  url: string;
  apiKey: string;
  apiSecret: string;
  agentName?: string;
  jobType?: JobType;
  namespace?: string;
  deployment?: string;
  permissions?: ParticipantPermission;
  /** How to answer availability requests; default accept with identity "agent-<jobId>". */
  answer?: (job: Job) => Partial<AvailabilityResponse> | 'ignore';
  /** Send JSON text frames instead of binary. */
  json?: boolean;
}

/**
 * A protocol-level worker built only from @livekit/protocol messages over ws: what the tests use to
 * exercise each server rule without a real agent runtime.
 */
export class RawWorker {
  readonly received: ServerMessage[] = [];
  readonly frames: { binary: boolean }[] = [];
  workerId = '';
  closed = false;
  closeCode?: number;
  ws!: WebSocket;

  constructor(readonly opts: RawWorkerOptions) {}

  static async workerToken(apiKey: string, apiSecret: string): Promise<string> {
    const at = new AccessToken(apiKey, apiSecret);
    at.addGrant({ agent: true });
    return at.toJwt();
  }

  /** Opens the socket (does not register). */
  async connect(token?: string): Promise<this> {
    const jwt = token ?? (await RawWorker.workerToken(this.opts.apiKey, this.opts.apiSecret));
    this.ws = new WebSocket(`${this.opts.url}/agent`, { headers: { Authorization: `Bearer ${jwt}` } });
    this.ws.on('message', (data, isBinary) => {
      this.frames.push({ binary: isBinary });
      const msg = isBinary ? ServerMessage.fromBinary(data as Buffer) : ServerMessage.fromJson(JSON.parse(data.toString()), { ignoreUnknownFields: true });
      this.received.push(msg);
      if (msg.message.case === 'register') this.workerId = msg.message.value.workerId;
      if (msg.message.case === 'availability') this.#answer(msg.message.value.job!);
    });
    this.ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return this;
  }

  async register(): Promise<this> {
    this.send({
      case: 'register',
      value: new RegisterWorkerRequest({
        type: this.opts.jobType ?? JobType.JT_ROOM,
        agentName: this.opts.agentName ?? '',
        version: 'raw-worker',
        namespace: this.opts.namespace,
        deployment: this.opts.deployment ?? '',
        allowedPermissions: this.opts.permissions,
      }),
    });
    await eventually(() => (this.workerId ? '' : 'no register response yet'), { timeoutMs: 5000 });
    return this;
  }

  send(message: WorkerMessage['message']): void {
    const msg = new WorkerMessage({ message });
    if (this.opts.json) this.ws.send(JSON.stringify(msg.toJson()));
    else this.ws.send(msg.toBinary());
  }

  sendRaw(data: Buffer | string): void {
    this.ws.send(data);
  }

  updateStatus(load: number, status?: WorkerStatus): void {
    this.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ load, status }) });
  }

  of<C extends NonNullable<ServerMessage['message']['case']>>(kase: C): Extract<ServerMessage['message'], { case: C }>['value'][] {
    return this.received.filter((m) => m.message.case === kase).map((m) => m.message.value) as never;
  }

  async close(): Promise<void> {
    if (this.closed || !this.ws) return;
    this.ws.close();
    await eventually(() => (this.closed ? '' : 'socket still open'), { timeoutMs: 2000 }).catch(() => this.ws.terminate());
  }

  #answer(job: Job): void {
    const a = this.opts.answer?.(job) ?? {};
    if (a === 'ignore') return;
    this.send({
      case: 'availability',
      value: new AvailabilityResponse({ jobId: job.id, available: true, participantIdentity: `agent-${job.id}`, ...a }),
    });
  }
}
