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
}

/** The server half of one client PeerConnection. The signal session only ever answers offers. */
export interface RtcPeer {
  /** Applies a remote offer and returns the answer SDP. Renegotiation offers go through here too. */
  answer(offerSdp: string): Promise<string>;
  addRemoteCandidate(candidate: CandidateInit): Promise<void>;
  /**
   * A server-created channel. The Rust SDK reads incoming data only from channels the *server* opened
   * with the labels `_reliable` / `_lossy` (rtc_session.rs), so downstream data needs these. Sends queue until open.
   */
  openChannel(label: string, options: { ordered: boolean; maxRetransmits?: number }): PeerDataChannel;
  close(): void;
}

export type RtcPeerFactory = (events: RtcPeerEvents) => RtcPeer;
