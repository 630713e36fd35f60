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

/** One front socket: where the client sends what is meant for one of the stack's candidates. */
interface Front {
  socket: Socket;
  port: number;
  stack: { address: string; port: number };
}

/**
 * A UDP relay between a client and the server's WebRTC stack, for what the stack does not tell: which SSRCs a
 * client's simulcast layers use. libwebrtc signals no SSRC for rid layers, and libdatachannel routes RTP by SSRC
 * only, so the stack drops them before any callback. The relay sits on the path, reads each new SSRC's mid and
 * rid from the RTP header (in clear under SRTP), and reports it, so the stack can be told.
 *
 * Every address either side sees is the relay's, so no direct pair forms: the client gets a front socket for each
 * of the stack's candidates, the stack a back socket for each client candidate and front (the stack answers per
 * address). Both sides can then check at once, and ICE takes as long as without the relay.
 */
export class RtpHeaderRelay {
  /** stack `address port` → its front */
  readonly #fronts = new Map<string, Promise<Front | undefined>>();
  readonly #sockets: Socket[] = [];
  /** `client address|client port|front port` → the back socket the stack sees as that client address */
  readonly #backs = new Map<string, { socket: Socket; port: Promise<number | undefined> }>();
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
    let front = this.#fronts.get(key);
    if (!front) {
      front = this.#open(stack);
      this.#fronts.set(key, front);
    }
    const opened = await front;
    return opened && withAddress(candidate, stack.address, opened.port);
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

  /** The stack-facing copies of a client's UDP candidate: one back socket per front of the same address family. */
  async backs(candidate: string): Promise<string[]> {
    const client = candidateAddress(candidate);
    if (!client || this.#closed) return [];
    const out: string[] = [];
    for (const pending of this.#fronts.values()) {
      const front = await pending;
      if (!front || front.stack.address.includes(':') !== client.address.includes(':')) continue;
      const port = await this.#backFor(front, client).port;
      if (port !== undefined) out.push(withAddress(candidate, front.stack.address, port));
    }
    return out;
  }

  async #open(stack: { address: string; port: number }): Promise<Front | undefined> {
    const socket = createSocket(stack.address.includes(':') ? 'udp6' : 'udp4');
    this.#sockets.push(socket);
    const bound = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false)); // e.g. a link-local address without its scope
      socket.bind(0, stack.address, () => resolve(true));
    });
    socket.on('error', () => undefined); // a client that went away: its packets are lost, as on any UDP path
    if (!bound || this.#closed) return undefined;
    const front = { socket, port: socket.address().port, stack };
    socket.on('message', (msg, from) => this.#fromClient(front, msg, from));
    return front;
  }

  /** The back socket for one client address behind one front: what the stack sends there goes to the client through the front. */
  #backFor(front: Front, client: { address: string; port: number }): { socket: Socket; port: Promise<number | undefined> } {
    const key = `${client.address}|${client.port}|${front.port}`;
    let back = this.#backs.get(key);
    if (!back) {
      const socket = createSocket(front.stack.address.includes(':') ? 'udp6' : 'udp4');
      const port = new Promise<number | undefined>((resolve) => {
        socket.once('error', () => resolve(undefined));
        socket.bind(0, front.stack.address, () => resolve(socket.address().port));
      });
      socket.on('error', () => undefined);
      socket.on('message', (reply) => {
        if (!this.#closed) front.socket.send(reply, client.port, client.address);
      });
      back = { socket, port };
      this.#backs.set(key, back);
    }
    return back;
  }

  #fromClient(front: Front, msg: Buffer, from: RemoteInfo): void {
    if (this.#closed) return;
    const seen = readRtpHeader(msg, this.ids());
    if (seen && !this.#known.has(seen.ssrc) && (seen.rid || seen.repairedRid)) {
      this.#known.add(seen.ssrc);
      this.onStream(seen);
    }
    this.#backFor(front, from).socket.send(msg, front.stack.port, front.stack.address);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of [...this.#sockets, ...[...this.#backs.values()].map((b) => b.socket)]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    this.#backs.clear();
  }
}

/** A candidate line with its connection address and port replaced. */
function withAddress(candidate: string, address: string, port: number): string {
  const f = candidate.split(' ');
  f[4] = address;
  f[5] = String(port);
  return f.join(' ');
}
