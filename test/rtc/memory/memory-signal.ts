// In-memory stand-ins for the /rtc transport: a SignalConnection that records what the server sent, and a
// peer factory whose peers never connect unless told to. Enough to run /rtc rules on the ManualClock.
import { SignalRequest, SignalResponse } from '@livekit/protocol';
import type { CandidateInit, PeerDataChannel, RtcPeer, RtcPeerEvents, RtcPeerFactory } from '../../../mock-server/rtc/peer/rtc-peer.ts';
import type { SignalConnection, SignalConnectionListener } from '../../../mock-server/rtc/signal-connection.ts';

export class MemorySignalConnection implements SignalConnection {
  readonly sent: SignalResponse[] = [];
  isOpen = true;
  closedHow: 'clean' | 'abrupt' | undefined;
  listener?: SignalConnectionListener;

  send(frame: Uint8Array | string): void {
    this.sent.push(typeof frame === 'string' ? SignalResponse.fromJsonString(frame) : SignalResponse.fromBinary(frame));
  }
  close(): void {
    this.#end('clean');
  }
  terminate(): void {
    this.#end('abrupt');
  }
  /** The client sends one request. */
  request(message: SignalRequest['message']): void {
    this.listener?.receive(Buffer.from(new SignalRequest({ message }).toBinary()), true);
  }
  /** The client's side of the socket goes away (as ws emits 'close'). */
  drop(): void {
    this.#end('abrupt');
  }
  cases(): string[] {
    return this.sent.map((r) => r.message.case ?? '');
  }
  of<K extends NonNullable<SignalResponse['message']['case']>>(kase: K): Extract<SignalResponse['message'], { case: K }>['value'][] {
    return this.sent.filter((r) => r.message.case === kase).map((r) => r.message.value) as never;
  }
  #end(how: 'clean' | 'abrupt'): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.closedHow = how;
    queueMicrotask(() => this.listener?.connectionClosed());
  }
}

export class MemoryChannel implements PeerDataChannel {
  readonly sent: Uint8Array[] = [];
  #listener?: (data: Uint8Array) => void;
  constructor(readonly label: string) {}
  send(data: Uint8Array): void {
    this.sent.push(data);
  }
  onMessage(listener: (data: Uint8Array) => void): void {
    this.#listener = listener;
  }
  /** The client writes on this channel. */
  deliver(data: Uint8Array): void {
    this.#listener?.(data);
  }
}

export class MemoryPeer implements RtcPeer {
  readonly offers: string[] = [];
  readonly opened: MemoryChannel[] = [];
  readonly #clientChannels: MemoryChannel[] = [];
  closed = false;
  constructor(
    readonly events: RtcPeerEvents,
    /** A peer that carries media plans the offer's sections (publications, down tracks); the default one only data. */
    readonly carriesMedia = false,
    private readonly gate: { held?: Promise<void> } = {},
  ) {}
  async answer(offerSdp: string): Promise<string> {
    this.offers.push(offerSdp);
    await this.gate.held;
    return 'v=0\r\n';
  }
  async addRemoteCandidate(_candidate: CandidateInit): Promise<void> {}
  openChannel(label: string): PeerDataChannel {
    const ch = new MemoryChannel(label);
    this.opened.push(ch);
    return ch;
  }
  close(): void {
    this.closed = true;
  }
  /** The client opens a data channel (as LiveKit clients open _reliable/_lossy). */
  clientOpens(label: string): MemoryChannel {
    const ch = new MemoryChannel(label);
    this.#clientChannels.push(ch);
    this.events.onDataChannel(ch);
    return ch;
  }
  clientChannels(): MemoryChannel[] {
    return [...this.#clientChannels];
  }
}

export interface MemoryPeers {
  factory: RtcPeerFactory;
  peers: MemoryPeer[];
  /** Answers wait until the returned function is called, as a slow WebRTC stack's do. */
  holdAnswers(): () => void;
}

export function memoryPeers(options: { carriesMedia?: boolean } = {}): MemoryPeers {
  const peers: MemoryPeer[] = [];
  const gate: { held?: Promise<void> } = {};
  return {
    peers,
    factory: (events) => {
      const p = new MemoryPeer(events, options.carriesMedia, gate);
      peers.push(p);
      return p;
    },
    holdAnswers() {
      let release!: () => void;
      gate.held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate.held = undefined;
        release();
      };
    },
  };
}
