import type { MediaKind, SdpCodec } from '../media/sdp-sections.ts';

/** The JSON a LiveKit client puts in TrickleRequest.candidateInit (camelCase, as RTCIceCandidateInit). */
export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** One SCTP data channel the client opened (`_reliable`, `_lossy`, `_data_track`). */
export interface PeerDataChannel {
  readonly label: string;
  send(data: Uint8Array): void;
  onMessage(listener: (data: Uint8Array) => void): void;
}

export interface RtcPeerEvents {
  onLocalCandidate(candidate: CandidateInit): void;
  /** ICE + DTLS are up: what rtc-node waits for before Room.connect() resolves. */
  onConnected(): void;
  /** The connection failed or closed from the remote side. */
  onDisconnected(): void;
  onDataChannel(channel: PeerDataChannel): void;
  /** RTP or RTCP from the client on a section planned 'receive' (or RTCP about a 'send' one, e.g. a PLI). Media peers only. */
  onMedia?(mid: string, packet: Buffer): void;
  /** A simulcast layer of a 'receive' section started: its SSRC and rid; its RTP now reaches onMedia. Media peers only. */
  onLayer?(mid: string, ssrc: number, rid: string): void;
}

/** How the server answers one m-section of an offer (a media peer only). */
export type SectionPlan =
  /** The client publishes here: receive this one codec. */
  | { mode: 'receive'; kind: MediaKind; codec: SdpCodec; simulcast?: boolean }
  /** A downstream track: send with this codec and SSRC, msid `<streamId> <trackId>` (LiveKit: `PA_x|TR_y TR_y`). */
  | { mode: 'send'; kind: MediaKind; codec: SdpCodec; ssrc: number; streamId: string; trackId: string }
  /** Nothing to send or receive (an unused receive slot, a stopped publication). */
  | { mode: 'inactive'; kind: MediaKind; codec?: SdpCodec };

/** mid → plan, for the media sections of one offer. */
export type MediaPlan = ReadonlyMap<string, SectionPlan>;

/** The server half of one client PeerConnection. The signal session only ever answers offers. */
export interface RtcPeer {
  /** True when the peer forwards media (answer plans, sendRtp); the W3C data-only peers do not. */
  readonly carriesMedia?: boolean;
  /** True when the peer learns simulcast layers (onLayer), so rid simulcast can be forwarded. */
  readonly receivesSimulcast?: boolean;
  /**
   * Applies a remote offer and returns the answer SDP. Renegotiation offers go through here too. A media peer
   * answers each planned m-section as planned; a data-only peer ignores the plan.
   */
  answer(offerSdp: string, plan?: MediaPlan): Promise<string>;
  /**
   * Dual PC (/rtc v0): this peer is the server-offered subscriber PeerConnection. Builds an offer with the
   * planned send sections (and, on the first one, the given data channels) and returns its SDP.
   */
  offer?(plan: MediaPlan, channels: readonly { label: string; ordered: boolean; maxRetransmits?: number }[]): Promise<string>;
  /** Applies the client's answer to the last offer. */
  acceptAnswer?(answerSdp: string): Promise<void>;
  /** Asks the publisher of a 'receive' video section for a keyframe (a PLI; on one layer's SSRC, or on each); false when it cannot. */
  requestKeyframe?(mid: string, ssrc?: number): boolean;
  /** Writes one RTP/RTCP packet on a section (false when it is not open yet, or gone). */
  sendMedia?(mid: string, packet: Buffer): boolean;
  addRemoteCandidate(candidate: CandidateInit): Promise<void>;
  /**
   * A server-created channel. The Rust SDK reads incoming data only from channels the *server* opened
   * with the labels `_reliable` / `_lossy` (rtc_session.rs), so downstream data needs these. Sends queue until open.
   */
  openChannel(label: string, options: { ordered: boolean; maxRetransmits?: number }): PeerDataChannel;
  close(): void;
}

/** `subscriber`: the server offers on this peer (dual-PC mode), so negotiation is never automatic. */
export interface RtcPeerOptions {
  role?: 'publisher' | 'subscriber';
}

export type RtcPeerFactory = (events: RtcPeerEvents, options?: RtcPeerOptions) => RtcPeer;

/** Closes a WebRTC stack's PeerConnection; one the stack already tore down may throw, which changes nothing. */
export function closeStackPeer(pc: { close(): void }): void {
  try {
    pc.close();
  } catch {
    // already torn down by the stack
  }
}
