import {
  AvailabilityResponse,
  JobType,
  RegisterWorkerRequest,
  ServerMessage,
  UpdateJobStatus,
  UpdateWorkerStatus,
  WorkerMessage,
  type Job,
  type JobStatus,
  type ParticipantPermission,
  type WorkerStatus,
} from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import WebSocket from 'ws';
import { TurnCork } from './turn-cork.ts';

/** How a worker answers an AvailabilityRequest: fields of the response, or 'ignore' (answer later, or never). */
export type AvailabilityAnswer = (job: Job) => Partial<AvailabilityResponse> | 'ignore';

export interface AgentProtocolClientOptions {
  /** The server's ws(s) base URL; the client connects to `${url}/agent`. */
  url: string;
  /** Credentials to mint a worker token (`video.agent`), unless `token` is given. */
  apiKey?: string;
  apiSecret?: string;
  token?: string;
  agentName?: string;
  /** Default JT_ROOM. */
  jobType?: JobType;
  namespace?: string;
  deployment?: string;
  permissions?: ParticipantPermission;
  /** RegisterWorkerRequest.version; default "raw-worker". */
  version?: string;
  /** How to answer availability requests; default accept with identity "agent-<jobId>". */
  answer?: AvailabilityAnswer;
  /** Every server message, with performance.now() taken when its frame arrived (before decoding). */
  onMessage?: (message: ServerMessage, at: number) => void;
  /** Send JSON text frames instead of binary. */
  json?: boolean;
  /** Keep every received message and frame kind (`received`, `frames`, `of`); default true. Load generators turn it off. */
  record?: boolean;
  /**
   * Frames sent in one turn of the event loop leave in one writev (net.Socket cork). A load generator sharing the
   * CPU with the server it measures would otherwise pay a syscall per answer.
   */
  cork?: boolean;
  /** The ws client's permessage-deflate offer; default the `ws` default (on), as @livekit/agents connects. */
  perMessageDeflate?: boolean;
}

/**
 * A protocol-level agent worker: the `/agent` protocol spoken directly with @livekit/protocol messages over `ws`,
 * nothing else (no runtime, no code of the mock), so it behaves exactly as told and runs against the mock and a real
 * livekit-server alike. Tests, scenarios (kind: protocol), the soak and the benchmarks all use this one.
 */
export class AgentProtocolClient {
  readonly received: ServerMessage[] = [];
  readonly frames: { binary: boolean }[] = [];
  workerId = '';
  closed = false;
  closeCode?: number;
  ws!: WebSocket;
  #registered?: { resolve(): void; reject(e: Error): void };
  readonly #cork = new TurnCork();

  constructor(readonly opts: AgentProtocolClientOptions) {}

  static async workerToken(apiKey: string, apiSecret: string): Promise<string> {
    const at = new AccessToken(apiKey, apiSecret);
    at.addGrant({ agent: true });
    return at.toJwt();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket (does not register); rejects when the upgrade is refused or the connection fails. */
  async connect(token?: string): Promise<this> {
    const jwt = token ?? this.opts.token ?? (await AgentProtocolClient.workerToken(this.opts.apiKey ?? '', this.opts.apiSecret ?? ''));
    const ws = new WebSocket(`${this.opts.url}/agent`, {
      headers: { Authorization: `Bearer ${jwt}` },
      ...(this.opts.perMessageDeflate !== undefined ? { perMessageDeflate: this.opts.perMessageDeflate } : {}),
    });
    this.ws = ws;
    this.closed = false;
    this.workerId = '';
    ws.on('error', () => undefined); // before open it rejects connect() below; after, it shows as the close
    ws.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      this.#registered?.reject(new Error(`socket closed (${code}) before the register response`));
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return this;
  }

  /** Sends RegisterWorkerRequest and resolves once the RegisterWorkerResponse arrives. */
  register(timeoutMs = 5_000): Promise<this> {
    const registered = new Promise<this>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`no register response within ${timeoutMs} ms`)), timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        this.#registered = undefined;
        reject(e);
      };
      this.#registered = {
        resolve: () => {
          clearTimeout(timer);
          this.#registered = undefined;
          resolve(this);
        },
        reject: fail,
      };
    });
    this.send({
      case: 'register',
      value: new RegisterWorkerRequest({
        type: this.opts.jobType ?? JobType.JT_ROOM,
        agentName: this.opts.agentName ?? '',
        version: this.opts.version ?? 'raw-worker',
        namespace: this.opts.namespace,
        deployment: this.opts.deployment ?? '',
        allowedPermissions: this.opts.permissions,
      }),
    });
    return registered;
  }

  send(message: WorkerMessage['message']): void {
    if (!this.isOpen) return;
    const msg = new WorkerMessage({ message });
    if (this.opts.cork) this.#cork.hold(this.ws);
    if (this.opts.json) this.ws.send(JSON.stringify(msg.toJson()));
    else this.ws.send(msg.toBinary());
  }

  sendRaw(data: Uint8Array | string): void {
    this.ws.send(data);
  }

  /** AvailabilityResponse for a job (the `answer` option answers at once; this answers later). */
  answer(jobId: string, response: Partial<AvailabilityResponse>): void {
    this.send({ case: 'availability', value: new AvailabilityResponse({ jobId, ...response }) });
  }

  updateStatus(load: number, status?: WorkerStatus): void {
    this.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ load, status }) });
  }

  updateJob(jobId: string, status: JobStatus, error = ''): void {
    this.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId, status, error }) });
  }

  of<C extends NonNullable<ServerMessage['message']['case']>>(kase: C): Extract<ServerMessage['message'], { case: C }>['value'][] {
    return this.received.filter((m) => m.message.case === kase).map((m) => m.message.value) as never;
  }

  /** A clean close (close frame), waiting up to 2 s for the server's answer before dropping the socket. */
  async close(): Promise<void> {
    if (this.closed || !this.ws) return;
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close();
    const timer = setTimeout(() => this.ws.terminate(), 2_000);
    await closed;
    clearTimeout(timer);
  }

  /** Drops the socket without a close frame; resolves when it is closed. */
  async terminate(): Promise<void> {
    if (this.closed || !this.ws) return;
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.terminate();
    await closed;
  }

  #receive(data: Buffer, isBinary: boolean): void {
    const at = performance.now();
    let msg: ServerMessage;
    try {
      msg = isBinary ? ServerMessage.fromBinary(data) : ServerMessage.fromJson(JSON.parse(data.toString()), { ignoreUnknownFields: true });
    } catch {
      return; // not a ServerMessage: nothing a worker could act on
    }
    if (this.opts.record !== false) {
      this.frames.push({ binary: isBinary });
      this.received.push(msg);
    }
    const m = msg.message;
    if (m.case === 'register') {
      this.workerId = m.value.workerId;
      this.#registered?.resolve();
    }
    this.opts.onMessage?.(msg, at);
    if (m.case === 'availability' && m.value.job) this.#answer(m.value.job);
  }

  #answer(job: Job): void {
    const a = this.opts.answer?.(job) ?? {};
    if (a === 'ignore') return;
    this.answer(job.id, { available: true, participantIdentity: `agent-${job.id}`, ...a });
  }
}
