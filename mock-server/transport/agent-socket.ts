import { ServerMessage, WorkerMessage } from '@livekit/protocol';
import type { WebSocket } from 'ws';
import type { TimerHandle } from '../core/clock.ts';
import type { WorkerConnection } from '../agent/worker-connection.ts';
import type { WorkerSession } from '../agent/worker-session.ts';
import type { FaultGate } from '../faults/fault-gate.ts';
import { decodeStrict } from '../core/strict-proto.ts';
import { TurnCork } from '../../protocol-worker/turn-cork.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The thin ws shell around a WorkerSession: decoding, the binary/JSON mode switch (a text frame switches
 * replies to JSON text frames, a binary frame switches back), WebSocket pings, and faults.
 */
export class AgentSocket implements WorkerConnection {
  #json = false;
  #ping?: TimerHandle;
  readonly #cork = new TurnCork();
  session?: WorkerSession;

  constructor(
    private readonly ws: WebSocket,
    private readonly faults: FaultGate,
  ) {}

  attach(session: WorkerSession, setTimer: (ms: number, fn: () => void) => TimerHandle, pingMs: number): void {
    this.session = session;
    const ping = () => {
      if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
      this.#ping = setTimer(pingMs, ping);
    };
    this.#ping = setTimer(pingMs, ping);
    this.ws.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary));
    this.ws.on('close', (code) => {
      this.#ping?.cancel();
      session.close(`socket closed (${code})`);
    });
    this.ws.on('error', () => undefined);
  }

  send(message: ServerMessage, encoded?: Uint8Array): void {
    this.faults.outbound(this.session, message, () => {
      if (this.ws.readyState !== this.ws.OPEN) return;
      this.#cork.hold(this.ws);
      // encoded when sent: a delay fault delays these bytes, as a slow network would, not a later state
      if (this.#json) this.ws.send(JSON.stringify((encoded ? ServerMessage.fromBinary(encoded) : message).toJson()), { binary: false });
      else this.ws.send(encoded ?? message.toBinary(), { binary: true });
    });
  }

  terminate(): void {
    this.#ping?.cancel();
    // frames sent before the drop still reach the peer, as they did when each was written at once
    this.#cork.flush();
    this.ws.terminate();
  }

  closeClean(reason: string): void {
    this.#ping?.cancel();
    this.#cork.flush();
    this.ws.close(1000, reason.slice(0, 120));
    // a peer that never answers the close frame is dropped
    const t = setTimeout(() => this.ws.terminate(), 2_000);
    t.unref();
  }

  #receive(data: Buffer, isBinary: boolean): void {
    const session = this.session!;
    let message: WorkerMessage;
    let frame: Uint8Array | undefined;
    try {
      if (isBinary) {
        // Go's proto.Unmarshal rules (nested lengths, UTF-8 in strings), not the lenient fromBinary alone
        message = decodeStrict(WorkerMessage, data);
        // a copy for the trace: ws hands out views into the socket's read chunk, which must not be retained
        frame = new Uint8Array(data);
        this.#json = false;
      } else {
        // gorilla/websocket does not check a text frame's UTF-8; protojson then fails on it
        message = WorkerMessage.fromJson(JSON.parse(strictUtf8.decode(data)), { ignoreUnknownFields: true });
        this.#json = true;
      }
    } catch (e) {
      return session.handleUndecodable((e as Error).message);
    }
    this.faults.inbound(session, message, () => session.handleMessage(message, frame));
  }
}
