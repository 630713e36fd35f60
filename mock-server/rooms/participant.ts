import {
  DisconnectReason,
  ParticipantInfo,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  ParticipantPermission,
  type ClientInfo_Capability,
  type TrackInfo,
  protoInt64,
} from '@livekit/protocol';

export interface JoinSpec {
  identity: string;
  name?: string;
  metadata?: string;
  attributes?: Record<string, string>;
  /** The token's `kind` claim: "agent", "egress", "sip", "ingress" or "" (standard). */
  kind?: string;
  /** video.agent / video.recorder grants also make a participant dependent. */
  agentGrant?: boolean;
  recorderGrant?: boolean;
  permission?: ParticipantPermission;
  /** Created through the control API rather than a signalling connection. */
  virtual?: boolean;
  /** From the client's ClientInfo (the v1 JoinRequest): what ParticipantInfo reports back (participant.go ToProto). */
  clientProtocol?: number;
  capabilities?: ClientInfo_Capability[];
}

const KINDS: Record<string, ParticipantInfo_Kind> = {
  agent: ParticipantInfo_Kind.AGENT,
  egress: ParticipantInfo_Kind.EGRESS,
  ingress: ParticipantInfo_Kind.INGRESS,
  sip: ParticipantInfo_Kind.SIP,
  connector: ParticipantInfo_Kind.CONNECTOR,
};

/** A participant's server-side state; `toProto()` is what every ParticipantUpdate carries (always the full info). */
export class Participant {
  readonly kind: ParticipantInfo_Kind;
  /** JOINING until its JoinResponse is out (participant_signal.go), then JOINED, ACTIVE once its transport is up. */
  state = ParticipantInfo_State.JOINING;
  name: string;
  metadata: string;
  attributes: Record<string, string>;
  permission: ParticipantPermission;
  readonly tracks: TrackInfo[] = [];
  /** JT_PUBLISHER fires once per session, on the first published track. */
  publishedOnce = false;
  #version = 0;
  #dirty = false;
  disconnectReason = DisconnectReason.UNKNOWN_REASON;

  constructor(
    readonly sid: string,
    readonly spec: JoinSpec,
    readonly joinedAtMs: number,
  ) {
    this.kind = KINDS[spec.kind ?? ''] ?? ParticipantInfo_Kind.STANDARD;
    this.name = spec.name ?? '';
    this.metadata = spec.metadata ?? '';
    this.attributes = { ...(spec.attributes ?? {}) };
    this.permission =
      spec.permission ?? new ParticipantPermission({ canSubscribe: true, canPublish: true, canPublishData: true, canUpdateMetadata: false });
  }

  /**
   * participant.go: a change only marks the info dirty; the version advances when the info is next read
   * (maybeIncVersion), so several changes between two reads count once.
   */
  markChanged(): void {
    this.#dirty = true;
  }

  get version(): number {
    return this.#version;
  }

  get identity(): string {
    return this.spec.identity;
  }

  /** Agents and egress (by kind or grant) neither keep a room open nor trigger participant/publisher jobs. */
  get isDependent(): boolean {
    return (
      this.kind === ParticipantInfo_Kind.AGENT || this.kind === ParticipantInfo_Kind.EGRESS || !!this.spec.agentGrant || !!this.spec.recorderGrant
    );
  }

  get isPublisher(): boolean {
    return this.tracks.length > 0;
  }

  toProto(): ParticipantInfo {
    if (this.#dirty) {
      this.#dirty = false;
      this.#version++;
    }
    return new ParticipantInfo({
      sid: this.sid,
      identity: this.identity,
      state: this.state,
      tracks: this.tracks.map((t) => t.clone()), // a snapshot: queued updates must not change later
      metadata: this.metadata,
      joinedAt: protoInt64.parse(Math.floor(this.joinedAtMs / 1000)),
      joinedAtMs: protoInt64.parse(this.joinedAtMs),
      name: this.name,
      version: this.#version,
      permission: this.permission,
      isPublisher: this.isPublisher,
      kind: this.kind,
      attributes: { ...this.attributes },
      disconnectReason: this.disconnectReason,
      clientProtocol: this.spec.clientProtocol ?? 0,
      capabilities: this.spec.capabilities ?? [],
    });
  }
}
