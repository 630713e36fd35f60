import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isRtcp, rtpSsrc } from '../media/rtp-packet.ts';

/** A stream the client started sending: its SSRC and, as its first packets say, the mid and rid it carries. */
export interface SeenStream {
  ssrc: number;
  mid?: string;
  rid?: string;
  /** An RTX stream names the rid it repairs (urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id). */
  repairedRid?: string;
}

/** The header extension ids the client's offer gave the sdes items (a=extmap). */
export interface SdesExtensionIds {
  mid?: number;
  rid?: number;
  repairedRid?: number;
}

/**
 * The SSRC, and the mid/rid sdes header extensions, of an RTP packet (SRTP leaves the header in clear).
 * Undefined for anything else: STUN, DTLS, RTCP, or a header too short for what it says (RFC 7983 demux).
 */
export function readRtpHeader(packet: Uint8Array, ids: SdesExtensionIds): SeenStream | undefined {
  if (packet.length < 12 || packet[0]! >> 6 !== 2 || isRtcp(packet)) return undefined;
  const seen: SeenStream = { ssrc: rtpSsrc(packet) };
  if (!(packet[0]! & 0x10)) return seen;
  let at = 12 + 4 * (packet[0]! & 0x0f);
  if (packet.length < at + 4) return undefined;
  const profile = (packet[at]! << 8) | packet[at + 1]!;
  const end = at + 4 + 4 * ((packet[at + 2]! << 8) | packet[at + 3]!);
  if (packet.length < end) return undefined;
  at += 4;
  const oneByte = profile === 0xbede;
  if (!oneByte && profile >> 4 !== 0x100) return seen; // not RFC 8285
  while (at < end) {
    let id: number;
    let len: number;
    if (oneByte) {
      id = packet[at]! >> 4;
      len = (packet[at]! & 0x0f) + 1;
      if (id === 0) {
        at++; // padding
        continue;
      }
      if (id === 15) break;
      at++;
    } else {
      id = packet[at]!;
      if (id === 0) {
        at++;
        continue;
      }
      len = packet[at + 1]!;
      at += 2;
    }
    if (at + len > end) break;
    const value = Buffer.from(packet.subarray(at, at + len)).toString('latin1');
    if (id === ids.mid) seen.mid = value;
    else if (id === ids.rid) seen.rid = value;
    else if (id === ids.repairedRid) seen.repairedRid = value;
    at += len;
  }
  return seen;
}

/** An ICE candidate line's connection address and port (RFC 8839 §5.1: foundation component transport priority address port typ …). */
const candidateAddress = (candidate: string): { address: string; port: number } | undefined => {
  const f = candidate.replace(/^a=/, '').split(' ');
  const port = Number(f[5]);
  return f[2]?.toUpperCase() === 'UDP' && f[4] && Number.isInteger(port) ? { address: f[4], port } : undefined;
};

/**
 * A UDP relay between a client and the server's WebRTC stack, for what the stack does not tell: which SSRCs a
 * client's simulcast layers use. libwebrtc signals no SSRC for rid layers, and libdatachannel routes RTP by SSRC
 * only, so the stack drops them before any callback. The relay sits on the path, reads each new SSRC's mid and
 * rid from the RTP header (in clear under SRTP), and reports it, so the stack can be told.
 *
 * The client gets the relay's candidates instead of the stack's and the stack gets none of the client's: every
 * address either side sees is the relay's (ICE works with peer-reflexive candidates), so no direct pair forms.
 * One front socket per stack candidate, one back socket per client address (the stack answers per address).
 */
export class RtpHeaderRelay {
  /** stack `address port` → the front socket's port */
  readonly #fronts = new Map<string, Promise<number | undefined>>();
  readonly #sockets: Socket[] = [];
  readonly #backs = new Map<string, Socket>();
  readonly #known = new Set<number>();
  #closed = false;

  constructor(
    private readonly ids: () => SdesExtensionIds,
    private readonly onStream: (stream: SeenStream) => void,
  ) {}

  /**
   * The client-facing copy of one of the stack's candidates: unchanged when it is not UDP, undefined when no
   * socket can be bound there (the candidate is then not given: a direct one would bypass the relay).
   */
  async front(candidate: string): Promise<string | undefined> {
    const stack = candidateAddress(candidate);
    if (!stack || this.#closed) return candidate;
    const key = `${stack.address} ${stack.port}`;
    let port = this.#fronts.get(key);
    if (!port) {
      port = this.#open(stack);
      this.#fronts.set(key, port);
    }
    const bound = await port;
    if (bound === undefined) return undefined;
    const f = candidate.split(' ');
    f[5] = String(bound);
    return f.join(' ');
  }

  /** The SDP with each of the stack's candidate lines replaced by its front. */
  async frontSdp(sdp: string): Promise<string> {
    const lines: string[] = [];
    for (const line of sdp.split('\r\n')) {
      const fronted = line.startsWith('a=candidate:') ? await this.front(line) : line;
      if (fronted !== undefined) lines.push(fronted);
    }
    return lines.join('\r\n');
  }

  async #open(stack: { address: string; port: number }): Promise<number | undefined> {
    const front = createSocket(stack.address.includes(':') ? 'udp6' : 'udp4');
    this.#sockets.push(front);
    const bound = await new Promise<boolean>((resolve) => {
      front.once('error', () => resolve(false)); // e.g. a link-local address without its scope
      front.bind(0, stack.address, () => resolve(true));
    });
    front.on('error', () => undefined); // a client that went away: its packets are lost, as on any UDP path
    if (!bound || this.#closed) return undefined;
    front.on('message', (msg, from) => this.#fromClient(front, stack, msg, from));
    return front.address().port;
  }

  #fromClient(front: Socket, stack: { address: string; port: number }, msg: Buffer, from: RemoteInfo): void {
    if (this.#closed) return;
    const seen = readRtpHeader(msg, this.ids());
    if (seen && !this.#known.has(seen.ssrc) && (seen.rid || seen.repairedRid)) {
      this.#known.add(seen.ssrc);
      this.onStream(seen);
    }
    const key = `${from.address}|${from.port}|${front.address().port}`;
    let back = this.#backs.get(key);
    if (!back) {
      const socket = createSocket(stack.address.includes(':') ? 'udp6' : 'udp4');
      socket.on('error', () => undefined);
      socket.bind(0, stack.address);
      socket.on('message', (reply) => {
        if (!this.#closed) front.send(reply, from.port, from.address);
      });
      this.#backs.set(key, socket);
      back = socket;
    }
    back.send(msg, stack.port, stack.address);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of [...this.#sockets, ...this.#backs.values()]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    this.#backs.clear();
  }
}
