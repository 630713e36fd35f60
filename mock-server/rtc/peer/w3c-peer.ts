import { closeStackPeer, type PeerDataChannel, type RtcPeer, type RtcPeerEvents, type RtcPeerFactory } from './rtc-peer.ts';
import { answerOffer } from './sdp-policy.ts';

/** The slice of the W3C RTCPeerConnection API that werift, node-datachannel/polyfill and @roamhq/wrtc all share. */
export interface W3CDataChannelLike {
  readonly label: string;
  binaryType?: string;
  send(data: any): void;
  onmessage: ((ev: { data: unknown }) => void) | null | undefined;
  onopen?: ((ev?: unknown) => void) | null;
  readonly readyState: string;
}

export interface W3CPeerConnectionLike {
  onicecandidate: ((ev: { candidate: any }) => void) | null | undefined;
  ondatachannel: ((ev: { channel: any }) => void) | null | undefined;
  onconnectionstatechange: ((ev?: any) => void) | null | undefined;
  readonly connectionState: string;
  setRemoteDescription(desc: { type: 'offer'; sdp: string }): Promise<unknown>;
  createAnswer(): Promise<{ type?: string; sdp?: string }>;
  setLocalDescription(desc: any): Promise<unknown>;
  readonly localDescription: { sdp?: string } | null | undefined;
  addIceCandidate(candidate: any): Promise<unknown>;
  createDataChannel(label: string, options: { ordered: boolean; maxRetransmits?: number }): any;
  close(): unknown;
}

export type W3CPeerConnectionCtor = new (config: { iceServers: unknown[] } & Record<string, unknown>) => W3CPeerConnectionLike;

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined; // text frames are not DataPackets; the client rejects them too
}

function wrapChannel(ch: W3CDataChannelLike): PeerDataChannel {
  ch.binaryType = 'arraybuffer';
  const pending: Buffer[] = [];
  const write = (b: Buffer) => {
    try {
      ch.send(b);
    } catch {
      // the channel closed under us; the packet is lost as it would be on a real SFU
    }
  };
  if (ch.readyState !== 'open') {
    const previous = ch.onopen;
    ch.onopen = (ev) => {
      previous?.(ev);
      for (const b of pending.splice(0)) write(b);
    };
  }
  return {
    label: ch.label,
    send(data) {
      const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (ch.readyState === 'open' && pending.length === 0) write(b);
      else if (ch.readyState === 'connecting') pending.push(b);
      else write(b);
    },
    onMessage(listener) {
      ch.onmessage = (ev) => {
        const bytes = toBytes(ev.data);
        if (bytes) listener(bytes);
      };
    },
  };
}

/**
 * A server-side peer over any W3C-style RTCPeerConnection. SDP and candidate operations run one at a
 * time in arrival order: a trickled candidate must not reach the stack before the offer it belongs to.
 */
export function w3cPeerFactory(Ctor: W3CPeerConnectionCtor, extraConfig: Record<string, unknown> = {}): RtcPeerFactory {
  return (events: RtcPeerEvents): RtcPeer => {
    // No ICE servers: a STUN query would leave the machine (werift defaults to Google's STUN server).
    const pc = new Ctor({ iceServers: [], ...extraConfig });
    let queue: Promise<unknown> = Promise.resolve();
    let connected = false;
    let closed = false;
    const serial = <T>(op: () => Promise<T>): Promise<T> => {
      const next = queue.then(op);
      queue = next.catch(() => undefined);
      return next;
    };
    pc.onicecandidate = (ev) => {
      const c = ev?.candidate;
      if (!c || !c.candidate || closed) return;
      const json = typeof c.toJSON === 'function' ? c.toJSON() : c;
      events.onLocalCandidate({ candidate: json.candidate, sdpMid: json.sdpMid ?? null, sdpMLineIndex: json.sdpMLineIndex ?? null });
    };
    pc.ondatachannel = (ev) => events.onDataChannel(wrapChannel(ev.channel));
    pc.onconnectionstatechange = () => {
      const state = pc.connectionState;
      if (state === 'connected' && !connected) {
        connected = true;
        events.onConnected();
      } else if ((state === 'failed' || state === 'closed') && !closed) {
        events.onDisconnected();
      }
    };
    return {
      carriesMedia: false,
      answer: (offerSdp) =>
        serial(() =>
          answerOffer(offerSdp, async (sdp) => {
            await pc.setRemoteDescription({ type: 'offer', sdp });
            const answer = await pc.createAnswer();
            await pc.setLocalDescription(answer);
            return pc.localDescription?.sdp ?? answer.sdp ?? '';
          }),
        ),
      addRemoteCandidate: (candidate) => serial(() => pc.addIceCandidate(candidate)).then(() => undefined),
      openChannel: (label, options) => wrapChannel(pc.createDataChannel(label, options)),
      close() {
        if (closed) return;
        closed = true;
        closeStackPeer(pc);
      },
    };
  };
}
