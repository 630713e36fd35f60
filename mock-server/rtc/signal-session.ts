import {
  type DataPacket,
  DisconnectReason,
  JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  MediaSectionsRequirement,
  MuteTrackRequest,
  ParticipantUpdate,
  Pong,
  ReconnectResponse,
  RoomUpdate,
  SessionDescription,
  SignalTarget,
  SubscriptionPermissionUpdate,
  TrackPublishedResponse,
  TrickleRequest,
  protoInt64,
  type DataPacket_Kind,
  type ParticipantInfo,
  type SignalRequest,
  type SubscriptionPermission,
  type TrackInfo,
  type UpdateSubscription,
} from '@livekit/protocol';
import type { AgentCoreContext } from '../agent/agent-context.ts';
import type { TimerHandle } from '../core/clock.ts';
import type { FaultGate } from '../faults/fault-gate.ts';
import type { Participant } from '../rooms/participant.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import { DATA_CHANNEL_KINDS, labelOfKind } from './data-packet-rules.ts';
import type { JoinPlan } from './join-validation.ts';
import type { Publication } from './media/publication.ts';
import { PublisherMedia, type NegotiatedTrack, type PublishChanges } from './media/publisher-media.ts';
import { isKeyframeRequest, isRtcp } from './media/rtp-packet.ts';
import { parseSections } from './media/sdp-sections.ts';
import { SubscriberMedia } from './media/subscriber-media.ts';
import type { CandidateInit, PeerDataChannel, RtcPeer, RtcPeerFactory, SectionPlan } from './peer/rtc-peer.ts';
import type { SignalConnection, SignalConnectionListener } from './signal-connection.ts';
import { decodeSignalRequest, encodeSignalResponse, type SignalResponseMessage } from './signal-codec.ts';
import { trackInfoFor } from './track-info.ts';
import { judgeMetadataUpdate } from './update-metadata.ts';

/** rtc/participant.go PingIntervalSeconds / PingTimeoutSeconds; 0 would panic the Rust SDK. */
const PING_INTERVAL_SEC = 5;
const PING_TIMEOUT_SEC = 15;

/** Downstream packets held per label until the client's channel is seen; beyond this they are lost, as on a full SCTP queue. */
const MAX_PENDING_DATA = 256;

/** Leave reasons a client may give that the server keeps (signalhandler.go); anything else is CLIENT_INITIATED. */
const KEPT_LEAVE_REASONS = new Set([DisconnectReason.USER_UNAVAILABLE, DisconnectReason.USER_REJECTED, DisconnectReason.AGENT_ERROR]);

export interface SignalSessionHost {
  readonly rooms: RoomManager;
  readonly ctx: AgentCoreContext;
  readonly peerFactory: RtcPeerFactory;
  /** Participant faults (delay/drop per direction) act on every signal message through this gate. */
  readonly faults: FaultGate;
  /** How long a participant whose signal socket dropped (without leave) stays in the room. */
  readonly signalLossGraceMs: number;
  relayData(from: SignalSession, kind: DataPacket_Kind, bytes: Uint8Array): void;
  sessionEnded(session: SignalSession): void;
  readonly media: SessionMediaHost;
}

/** The room-wide side of media (session-registry.ts): publications, auto-subscribe, TrackSubscribed. */
export interface SessionMediaHost {
  /** A publication whose section the publisher's offer now carries. */
  published(session: SignalSession, negotiated: NegotiatedTrack): void;
  unpublished(session: SignalSession, trackSid: string): void;
  /** Subscribe a joining session to what the room already publishes (room.go subscribeToExistingTracks). */
  joined(session: SignalSession): void;
  /** A subscriber's down track is bound and connected. */
  bound(subscriber: SignalSession, pub: Publication): void;
  /** A subscriber's decoder wants a keyframe of this publication (PLI/FIR on its down track), or of one simulcast layer. */
  keyframeWanted(pub: Publication, layerSsrc?: number): void;
  publication(trackSid: string): Publication | undefined;
  /** The publisher allows this subscriber this track (its SubscriptionPermission). */
  mayReceive(pub: Publication, subscriber: Participant): boolean;
  /** A publisher sent a SubscriptionPermission. */
  permissionChanged(session: SignalSession, permission: SubscriptionPermission): void;
}

/** The channels the server opens on a subscriber PeerConnection (transportmanager.go; _data_track as enable_data_tracks defaults). */
const SUBSCRIBER_CHANNELS = [
  { label: '_reliable', ordered: true },
  { label: '_lossy', ordered: false, maxRetransmits: 0 },
  { label: '_data_track', ordered: false, maxRetransmits: 0 },
];

/** Transport.Negotiate's debounce before the server asks for a re-offer (transport.go, 10 ms after a quiet period). */
const NEGOTIATE_DEBOUNCE_MS = 10;

/**
 * One client's signal connection and its PeerConnection: the JoinResponse, SDP/trickle, pings, the
 * client's own requests, and whatever the room tells this participant. Nothing a client sends can throw out of here.
 */
export class SignalSession implements SignalConnectionListener {
  #conn: SignalConnection;
  readonly #peer: RtcPeer;
  /** The client's ICE credentials the PeerConnection took from its first offer (see #withAcceptedIce). */
  #acceptedIce?: { ufrag: string; pwd: string };
  /** Dual PC (/rtc v0): the server-offered subscriber PeerConnection that carries downstream tracks. */
  readonly #subPeer?: RtcPeer;
  #subOffering = false;
  #subOfferAgain = false;
  /**
   * The subscriber PC's own candidates wait for the first answer: libdatachannel answers a client's ICE checks
   * before it has the answer's fingerprint, so a client that connects first fails DTLS (pion: "UnknownCA").
   */
  #subCandidatesHeld: CandidateInit[] | undefined = [];
  /** The client-opened `_reliable` / `_lossy`: the server writes downstream data on them too (below). */
  readonly #downstream = new Map<string, PeerDataChannel>();
  /** Data for a label whose channel the server has not seen yet (the client can be sent to before its channel reaches here). */
  readonly #pendingData = new Map<string, DataPacket[]>();
  #json = false;
  /** The participant is no longer in the room (left, removed, or lost). */
  #gone = false;
  #closed = false;
  /** The read loop ended (an undecodable frame): later frames are not read, as in rtcservice.go. */
  #readEnded = false;
  #graceTimer?: TimerHandle;
  #negotiateTimer?: TimerHandle;
  /** Client offers being answered; a re-offer request waits for their answers (see #scheduleNegotiation). */
  #answering = 0;
  #requirementAfterAnswer = false;
  #subOfferId = 0;
  readonly #publisher = new PublisherMedia();
  /** Tracks added (AddTrackRequest) that no offer has carried yet: only their publisher knows them. */
  readonly #pendingTracks: TrackInfo[] = [];
  /** Tracks this participant wants but their publisher does not allow it (yet). */
  readonly #denied = new Set<string>();
  readonly #subscriber: SubscriberMedia;

  constructor(
    conn: SignalConnection,
    readonly room: Room,
    readonly participant: Participant,
    private readonly plan: JoinPlan,
    private readonly host: SignalSessionHost,
  ) {
    this.#conn = conn;
    this.#peer = host.peerFactory({
      onLocalCandidate: (c) => this.#sendCandidate(c),
      onConnected: () => this.#onPeerConnected(false),
      onDisconnected: () => undefined, // the signal socket decides when a participant is gone
      onDataChannel: (ch) => {
        const kind = DATA_CHANNEL_KINDS[ch.label];
        if (kind === undefined) return; // _data_track and others carry no DataPackets
        ch.onMessage((bytes) => this.host.relayData(this, kind, bytes));
        this.#adoptDownstream(ch);
      },
      onMedia: (mid, packet) => this.#onMedia(mid, packet),
      onLayer: (mid, ssrc, rid) => this.#onLayer(mid, ssrc, rid),
    });
    if (!plan.singlePeerConnection && this.#peer.carriesMedia && participant.permission.canSubscribe) {
      this.#subPeer = host.peerFactory(
        {
          onLocalCandidate: (c) => (this.#subCandidatesHeld ? this.#subCandidatesHeld.push(c) : this.#sendCandidate(c, SignalTarget.SUBSCRIBER)),
          onConnected: () => this.#onPeerConnected(true),
          onDisconnected: () => undefined,
          // downstream data stays on the client-opened channels, which every SDK reads (deliverData)
          onDataChannel: () => undefined,
          onMedia: (mid, packet) => this.#onSubscriberRtcp(mid, packet),
        },
        { role: 'subscriber' },
      );
    }
    this.#subscriber = new SubscriberMedia({
      participant,
      sendMedia: (mid, packet) => (this.#subPeer ?? this.#peer).sendMedia?.(mid, packet) ?? false,
      bound: (pub) => this.host.media.bound(this, pub),
      askKeyframe: (pub, ssrc) => this.host.media.keyframeWanted(pub, ssrc),
      fillsSilentTracks: plan.firesTrackByRtp ? { clock: host.ctx.clock } : undefined,
    });
  }

  /**
   * Downstream tracks ride this client's own PeerConnection on /rtc/v1 (single PC), or the server-offered
   * subscriber PeerConnection on /rtc (v0); either needs a media peer.
   */
  get receivesMedia(): boolean {
    return (!!this.#subPeer || (this.plan.singlePeerConnection && !!this.#peer.carriesMedia)) && this.participant.permission.canSubscribe;
  }

  /** Why this subscriber gets no downstream media although it may subscribe, or undefined (a trace warning names it). */
  get mediaGap(): string | undefined {
    if (!this.participant.permission.canSubscribe || this.receivesMedia) return undefined;
    if (!this.#peer.carriesMedia) return 'its server-side WebRTC peer is data-only';
    return 'it cannot subscribe';
  }

  /** Auto-subscribe (v1 connection_settings.auto_subscribe, v0 auto_subscribe). */
  get autoSubscribes(): boolean {
    return this.plan.autoSubscribe && this.receivesMedia;
  }

  /**
   * A wanted subscription (subscriptionmanager.go): SubscriptionPermissionUpdate when the permission changes, then,
   * if the publisher allows it, the down track and a re-offer request; a denied one waits for the permission.
   */
  subscribe(pub: Publication): void {
    if (this.#closed || !this.receivesMedia || pub.publisher === this.participant || this.#subscriber.has(pub.sid)) return;
    const allowed = this.host.media.mayReceive(pub, this.participant);
    if (!allowed) {
      if (!this.#denied.has(pub.sid)) this.#sendPermission(pub, false);
      this.#denied.add(pub.sid);
      return;
    }
    this.#denied.delete(pub.sid);
    this.#subscriber.subscribe(pub);
    this.#sendPermission(pub, true);
    this.#scheduleNegotiation();
  }

  unsubscribe(trackSid: string): void {
    this.#denied.delete(trackSid);
    if (this.#subscriber.unsubscribe(trackSid)) this.#scheduleNegotiation();
  }

  /** The publisher changed who may subscribe: a subscription it no longer allows goes (and is still wanted); one it allows again comes back. */
  permissionChanged(pub: Publication, allowed: boolean): void {
    if (!allowed && this.#subscriber.has(pub.sid)) {
      this.unsubscribe(pub.sid);
      this.#denied.add(pub.sid);
      this.#sendPermission(pub, false);
    } else if (allowed && this.#denied.has(pub.sid)) {
      this.subscribe(pub);
    }
  }

  #sendPermission(pub: Publication, allowed: boolean): void {
    this.send({ case: 'subscriptionPermissionUpdate', value: new SubscriptionPermissionUpdate({ participantSid: pub.publisher.sid, trackSid: pub.sid, allowed }) });
  }

  /** The tracks this participant publishes whose media reaches the server. */
  subscriptions(): Publication[] {
    return this.#subscriber.subscribed();
  }

  /**
   * Single PC: the server cannot offer, so it asks for a re-offer with media_sections_requirement (sent even
   * with zero counts, transport.go sendUnmatchedMediaRequirement), debounced as Negotiate is. The transport's
   * events run one at a time, so a client offer already received is answered first: the request goes out after
   * that answer. Sent before it, the pinned Rust SDK (livekit-ffi 0.12.73) deadlocks applying the answer
   * (rust-sdks #1252), and the client never connects.
   */
  #scheduleNegotiation(): void {
    if (this.#negotiateTimer || this.#closed) return;
    this.#negotiateTimer = this.host.ctx.clock.setTimer(NEGOTIATE_DEBOUNCE_MS, () => {
      this.#negotiateTimer = undefined;
      if (this.#closed) return;
      if (this.#subPeer) return this.#offerSubscriber();
      if (this.#answering > 0) this.#requirementAfterAnswer = true;
      else this.#sendRequirement();
    });
  }

  #sendRequirement(): void {
    this.send({ case: 'mediaSectionsRequirement', value: new MediaSectionsRequirement(this.#subscriber.requirement()) });
  }

  /** A client offer's answer went out (or could not be made): a re-offer request held for it goes now. */
  #answered(): void {
    this.#answering--;
    if (this.#answering > 0 || !this.#requirementAfterAnswer || this.#closed) return;
    this.#requirementAfterAnswer = false;
    this.#sendRequirement();
  }

  /**
   * Dual PC: an offer on the subscriber PeerConnection with `_reliable`/`_lossy`/`_data_track` (created before the
   * first offer, transportmanager.go createDataChannelsForSubscriber) and one sendonly section per down track,
   * ids counting 1, 2, … One offer at a time; a change during one gives another after its answer.
   */
  #offerSubscriber(): void {
    const sub = this.#subPeer;
    if (!sub?.offer || this.#closed) return;
    if (this.#subOffering) {
      this.#subOfferAgain = true;
      return;
    }
    this.#subOffering = true;
    const plan = new Map<string, SectionPlan>();
    const midToTrackId = this.#subscriber.planOffer(plan);
    const id = ++this.#subOfferId;
    sub.offer(plan, SUBSCRIBER_CHANNELS).then(
      (sdp) => this.send({ case: 'offer', value: new SessionDescription({ type: 'offer', sdp, id, midToTrackId }) }),
      (e: Error) => {
        this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity}: cannot offer the subscriber PeerConnection: ${e.message}` });
        this.#subOfferDone();
      },
    );
  }

  /** The offer round is over (answered or failed): a change that came meanwhile gets its own offer. */
  #subOfferDone(): void {
    this.#subOffering = false;
    const held = this.#subCandidatesHeld;
    this.#subCandidatesHeld = undefined;
    for (const c of held ?? []) this.#sendCandidate(c, SignalTarget.SUBSCRIBER);
    if (!this.#subOfferAgain) return;
    this.#subOfferAgain = false;
    this.#offerSubscriber();
  }

  #onSubscriberAnswer(answer: SessionDescription): void {
    const sub = this.#subPeer;
    if (!sub?.acceptAnswer || !this.#subOffering) return;
    sub.acceptAnswer(answer.sdp).then(
      () => {
        this.#subscriber.answered();
        this.#subOfferDone();
      },
      (e: Error) => {
        this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity}: subscriber answer refused: ${e.message}` });
        this.#subOfferDone();
      },
    );
  }

  #onMedia(mid: string, packet: Buffer): void {
    if (isRtcp(packet)) return this.#onSubscriberRtcp(mid, packet);
    const sid = this.#publisher.trackOf(mid);
    if (sid) this.host.media.publication(sid)?.forward(packet, this.host.ctx.clock.now());
  }

  /** A simulcast layer's first packets reached the server; a layer seen before its publication exists waits for it. */
  #onLayer(mid: string, ssrc: number, rid: string): void {
    const sid = this.#publisher.trackOf(mid);
    const pub = sid ? this.host.media.publication(sid) : undefined;
    if (pub) pub.layerSeen(ssrc, rid, this.host.ctx.clock.now());
    else this.#publisher.stashLayer(mid, ssrc, rid);
  }

  /** RTCP from this client about a down track: keyframe requests go to the publisher; receiver reports end here. */
  #onSubscriberRtcp(mid: string, packet: Buffer): void {
    if (!isKeyframeRequest(packet)) return;
    const pub = this.#subscriber.publicationAt(mid);
    if (pub?.kind === 'video') this.host.media.keyframeWanted(pub);
  }

  /** Asks this client for a keyframe of one of its published video tracks (true when the PLI went out). */
  requestKeyframe(trackSid: string, layerSsrc?: number): boolean {
    const mid = this.#publisher.midOf(trackSid);
    return !!mid && !!this.#peer.requestKeyframe?.(mid, layerSsrc);
  }

  start(otherParticipants: ParticipantInfo[]): void {
    const canPublish = this.participant.permission.canPublish;
    this.send({
      case: 'join',
      value: new JoinResponse({
        room: this.room.toProto(),
        participant: this.participant.toProto(),
        otherParticipants,
        serverVersion: this.host.ctx.serverInfo.version,
        serverRegion: this.host.ctx.serverInfo.region,
        serverInfo: this.host.ctx.serverInfo,
        // participant.go: subscriber primary in dual-PC mode when the client can subscribe (protocol > 2)
        subscriberPrimary: !!this.#subPeer,
        fastPublish: canPublish,
        pingInterval: PING_INTERVAL_SEC,
        pingTimeout: PING_TIMEOUT_SEC,
      }),
    });
    for (const req of this.plan.addTrackRequests) this.#addTrack(req);
    this.host.media.joined(this);
    // v0 fast start (room.go Join): the subscriber offer goes out right after the JoinResponse
    if (this.#subPeer) this.#offerSubscriber();
    const offer = this.plan.publisherOffer;
    if (offer?.sdp) this.#answer(offer);
  }

  send(message: SignalResponseMessage): void {
    if (this.#closed || !this.#conn.isOpen) return;
    this.host.faults.signal(this.#peerRef(), 'out', message.case ?? '', () => {
      // a delayed message may find the socket gone
      if (this.#closed || !this.#conn.isOpen) return;
      this.#conn.send(encodeSignalResponse(message, this.#json));
    });
  }

  /** A close fault: `abrupt` drops TCP without a close frame, otherwise a clean 1000 close; either way a lost signal connection. */
  closeSignal(abrupt: boolean): boolean {
    if (!this.#conn.isOpen) return false;
    if (abrupt) this.#conn.terminate();
    else this.#conn.close();
    return true;
  }

  #peerRef() {
    return { room: this.room.name, identity: this.participant.identity };
  }

  sendParticipants(participants: ParticipantInfo[]): void {
    this.send({ case: 'update', value: new ParticipantUpdate({ participants }) });
  }

  sendRoomUpdate(room: Room): void {
    this.send({ case: 'roomUpdate', value: new RoomUpdate({ room: room.toProto() }) });
  }

  /**
   * In single-PC and publisher-primary mode the real server opens no channels: pion adopts the client-opened
   * `_reliable`/`_lossy` as its writers too (transport.go onDataChannel), and downstream data goes there.
   * Every SDK reads its own publisher channels (Rust rtc_session.rs forward_dc_events, Go engine.go, JS
   * DataChannelManager), while Go never reads a server-opened channel on the publisher PC.
   */
  deliverData(kind: DataPacket_Kind, dp: DataPacket): void {
    const label = labelOfKind(kind);
    const ch = this.#downstream.get(label);
    if (ch) return ch.send(dp.toBinary());
    const queue = this.#pendingData.get(label) ?? [];
    if (queue.length < MAX_PENDING_DATA) queue.push(dp);
    this.#pendingData.set(label, queue);
  }

  #adoptDownstream(ch: PeerDataChannel): void {
    if (this.#downstream.has(ch.label)) return;
    this.#downstream.set(ch.label, ch);
    for (const dp of this.#pendingData.get(ch.label)?.splice(0) ?? []) ch.send(dp.toBinary());
  }

  /** Server-initiated removal: LeaveRequest{DISCONNECT, reason} first, so the client ends at once instead of resuming. */
  disconnect(reason: DisconnectReason): void {
    this.send({ case: 'leave', value: new LeaveRequest({ action: LeaveRequest_Action.DISCONNECT, reason, canReconnect: false }) });
    this.participantGone();
  }

  /** The participant left the room by any path: tear the transport down. */
  participantGone(): void {
    this.#gone = true;
    this.#close();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#graceTimer?.cancel();
    this.#negotiateTimer?.cancel();
    this.#subscriber.close();
    this.#peer.close();
    this.#subPeer?.close();
    // a normal close after the queued frames (the real server's CloseNormalClosure)
    if (this.#conn.isOpen) this.#conn.close();
    this.host.sessionEnded(this);
  }

  /** The signal connection is gone (SignalConnectionListener). */
  connectionClosed(): void {
    if (this.#gone) return this.#close();
    // As on the real server the PeerConnections stay up (media keeps flowing) and a resume may take the
    // participant back; the mock waits for one for a grace period, then the participant has left.
    this.#graceTimer?.cancel();
    this.#graceTimer = this.host.ctx.clock.setTimer(this.host.signalLossGraceMs, () => {
      if (!this.#stillInRoom()) return this.participantGone();
      this.host.rooms.participantLeft(this.room, this.participant.identity, DisconnectReason.SIGNAL_CLOSE);
    });
  }

  /**
   * A resume (reconnect=1) on a new signal connection (room.go ResumeParticipant): the old connection is
   * closed, ReconnectResponse, then everyone's ParticipantInfo and the room. The client follows with an
   * ICE-restart offer (#answer). False when the participant is gone, which the caller answers with a Leave.
   */
  resume(conn: SignalConnection, participants: ParticipantInfo[]): boolean {
    if (this.#gone || this.#closed || !this.#stillInRoom()) return false;
    this.#graceTimer?.cancel();
    this.#graceTimer = undefined;
    const old = this.#conn;
    this.#conn = conn;
    this.#readEnded = false;
    if (old.isOpen) old.close();
    this.send({ case: 'reconnect', value: new ReconnectResponse({ iceServers: [], serverInfo: this.host.ctx.serverInfo }) });
    this.sendParticipants(participants);
    this.sendRoomUpdate(this.room);
    return true;
  }

  /** The frames and close of one connection; after a resume the old one's are ignored. */
  listenerFor(conn: SignalConnection): SignalConnectionListener {
    return {
      receive: (data, isBinary) => conn === this.#conn && this.receive(data, isBinary),
      connectionClosed: () => conn === this.#conn && this.connectionClosed(),
    };
  }

  #stillInRoom(): boolean {
    return !this.room.closed && this.room.participants.get(this.participant.identity) === this.participant;
  }

  /** One frame from the client (SignalConnectionListener). */
  receive(data: Buffer, isBinary: boolean): void {
    if (this.#readEnded) return;
    const req = decodeSignalRequest(data, isBinary);
    if (!req) {
      // rtcservice.go: a ReadRequest error ends the read loop and the socket closes with CloseNormalClosure;
      // the participant is then handled as a lost signal connection (found by /rtc fuzzing against v1.13.5)
      this.#readEnded = true;
      this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity}: undecodable signal frame (${data.length} bytes); closing the signal connection` });
      if (this.#conn.isOpen) this.#conn.close();
      return;
    }
    this.#json = !isBinary;
    this.host.faults.signal(this.#peerRef(), 'in', req.message.case ?? '', () => {
      if (this.#closed) return;
      try {
        this.#handle(req);
      } catch (e) {
        this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity}: ${req.message.case} failed: ${(e as Error).message}` });
      }
    });
  }

  #handle(req: SignalRequest): void {
    const m = req.message;
    switch (m.case) {
      case 'ping':
        return this.send({ case: 'pong', value: protoInt64.parse(this.host.ctx.clock.now()) });
      case 'pingReq':
        return this.send({ case: 'pongResp', value: new Pong({ lastPingTimestamp: m.value.timestamp, timestamp: protoInt64.parse(this.host.ctx.clock.now()) }) });
      case 'offer':
        return this.#answer(m.value);
      case 'answer':
        return this.#onSubscriberAnswer(m.value);
      case 'trickle':
        return this.#addCandidate(m.value);
      case 'addTrack':
        return this.#addTrack(m.value);
      case 'mute':
        return this.#mute(m.value.sid, m.value.muted);
      case 'updateMetadata':
        return this.#updateMetadata(m.value);
      case 'subscription':
        return this.#updateSubscription(m.value);
      case 'subscriptionPermission':
        return this.host.media.permissionChanged(this, m.value);
      case 'leave':
        if (!this.#stillInRoom()) return this.participantGone();
        return this.host.rooms.participantLeft(
          this.room,
          this.participant.identity,
          KEPT_LEAVE_REASONS.has(m.value.reason) ? m.value.reason : DisconnectReason.CLIENT_INITIATED,
        );
      case 'trackSetting':
        for (const sid of m.value.trackSids) this.#subscriber.trackSettings(sid, m.value);
        return;
      default:
        // syncState, simulate, … : ignored
        return;
    }
  }

  #answer(offer: SessionDescription): void {
    offer = this.#withAcceptedIce(offer);
    const plan = new Map<string, SectionPlan>();
    let changes: PublishChanges = { negotiated: [], stopped: [] };
    let midToTrackId: Record<string, string> = {};
    if (this.#peer.carriesMedia) {
      const sections = parseSections(offer.sdp);
      changes = this.#publisher.plan(sections, this.#pendingTracks, plan, !!this.#peer.receivesSimulcast);
      if (this.receivesMedia && !this.#subPeer) midToTrackId = this.#subscriber.plan(sections, plan);
    }
    this.#answering++;
    this.#peer.answer(offer.sdp, plan).then(
      (sdp) => {
        // mid_to_track_id in every answer (transport.go getMidToTrackIDMapping): the Rust SDK maps single-PC tracks by it
        this.send({ case: 'answer', value: new SessionDescription({ type: 'answer', sdp, id: offer.id, midToTrackId }) });
        if (this.#closed) return;
        for (const n of changes.negotiated) {
          const at = this.#pendingTracks.indexOf(n.track);
          if (at >= 0) this.#pendingTracks.splice(at, 1);
          this.host.media.published(this, n);
          const pub = this.host.media.publication(n.track.sid);
          for (const l of this.#publisher.takeStashedLayers(n.mid)) pub?.layerSeen(l.ssrc, l.rid, this.host.ctx.clock.now());
        }
        for (const u of changes.unsupported ?? []) {
          this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity}: the section mid ${u.mid} (${u.codecs.join(', ')}) is not received: the mock forwards Opus, VP8, H264, VP9 and AV1 only` });
        }
        for (const sid of changes.stopped) this.host.media.unpublished(this, sid);
        this.#subscriber.answered();
        this.#answered();
      },
      (e: Error) => {
        this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity}: cannot answer offer: ${e.message}` });
        this.#answered();
      },
    );
  }

  /**
   * An ICE restart (a resume's offer, or after ICE failed) brings new ICE credentials. libdatachannel cannot
   * restart ICE on a PeerConnection (it refuses the offer: "Invalid ICE settings"), and a new server-side
   * PeerConnection would restart DTLS and lose the client's SCTP association and its data channels. So the
   * offer is applied with the credentials the peer already has, and the answer keeps the server's: libwebrtc
   * keeps its working candidate pair, media and data go on (deliberate difference rtc-ice-restart-kept).
   */
  #withAcceptedIce(offer: SessionDescription): SessionDescription {
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(offer.sdp)?.[1];
    const pwd = /^a=ice-pwd:(\S+)/m.exec(offer.sdp)?.[1];
    if (!ufrag || !pwd) return offer;
    const accepted = this.#acceptedIce;
    if (!accepted) {
      this.#acceptedIce = { ufrag, pwd };
      return offer;
    }
    if (ufrag === accepted.ufrag) return offer;
    this.host.ctx.trace.record({ kind: 'log', level: 'info', message: `rtc: ${this.participant.identity}: ICE restart answered with the ICE credentials the session has` });
    const sdp = offer.sdp.replace(/^a=ice-ufrag:\S+/gm, `a=ice-ufrag:${accepted.ufrag}`).replace(/^a=ice-pwd:\S+/gm, `a=ice-pwd:${accepted.pwd}`);
    return new SessionDescription({ type: offer.type, sdp, id: offer.id, midToTrackId: offer.midToTrackId });
  }

  #updateSubscription(update: UpdateSubscription): void {
    this.applySubscriptions([...update.trackSids, ...update.participantTracks.flatMap((pt) => pt.trackSids)], update.subscribe);
  }

  /** UpdateSubscription from the client, or Twirp UpdateSubscriptions for it. */
  applySubscriptions(sids: readonly string[], subscribe: boolean): void {
    for (const sid of sids) {
      if (!subscribe) {
        this.unsubscribe(sid);
        continue;
      }
      const pub = this.host.media.publication(sid);
      const gap = this.mediaGap;
      if (pub && gap) this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity} does not receive track ${sid}: ${gap}` });
      else if (pub) this.subscribe(pub);
      // an unknown track: the real server retries for a minute, then SubscriptionResponse SE_TRACK_NOTFOUND (not modelled)
    }
  }

  #addCandidate(trickle: TrickleRequest): void {
    // single PC: every candidate belongs to the publisher PC (SUBSCRIBER ones are dropped, transportmanager.go)
    const toSubscriber = !this.plan.singlePeerConnection && trickle.target === SignalTarget.SUBSCRIBER;
    const peer = toSubscriber ? this.#subPeer : this.#peer;
    if (!peer) return;
    let init: CandidateInit;
    try {
      init = JSON.parse(trickle.candidateInit) as CandidateInit;
    } catch {
      return;
    }
    if (!init?.candidate) return; // end-of-candidates
    peer.addRemoteCandidate(init).catch(() => undefined);
  }

  #sendCandidate(c: CandidateInit, target = SignalTarget.PUBLISHER): void {
    // pion's ICECandidate.ToJSON has no `a=` prefix, and pion clients reject one ("invalid ice-char token");
    // libdatachannel's candidate lines carry it
    const candidateInit = JSON.stringify({ candidate: c.candidate.replace(/^a=/, ''), sdpMid: c.sdpMid ?? '0', sdpMLineIndex: c.sdpMLineIndex ?? 0 });
    this.send({ case: 'trickle', value: new TrickleRequest({ target, candidateInit }) });
  }

  /** Either PeerConnection up makes the participant ACTIVE; down tracks bind once the PC that carries them is up. */
  #onPeerConnected(subscriberPc: boolean): void {
    if (this.#closed) return;
    if (this.#stillInRoom()) this.host.rooms.markActive(this.room, this.participant);
    if (subscriberPc || !this.#subPeer) this.#subscriber.connected();
  }

  /**
   * AddTrackRequest: the publisher gets its TrackInfo; the track stays pending (participant.go addPendingTrackLocked)
   * until an offer carries it, and only then does the room hear of it (RoomMedia.published).
   */
  #addTrack(req: Parameters<typeof trackInfoFor>[0]): void {
    if (!this.participant.permission.canPublish || !this.#stillInRoom()) return; // no response, as the real server
    const track = trackInfoFor(req, this.host.ctx.ids.next('TR_'));
    this.send({ case: 'trackPublished', value: new TrackPublishedResponse({ cid: req.cid, track }) });
    this.#pendingTracks.push(track);
  }

  #mute(trackSid: string, muted: boolean): void {
    const pending = this.#pendingTracks.find((t) => t.sid === trackSid);
    if (pending) pending.muted = muted; // announced with it once published
    else if (this.#stillInRoom()) this.host.rooms.muteTrack(this.room, this.participant, trackSid, muted, false);
  }

  /** participant.go sendTrackMuted: an admin muted one of this client's tracks; its SDK mutes the local track. */
  sendMuted(trackSid: string, muted: boolean): void {
    this.send({ case: 'mute', value: new MuteTrackRequest({ sid: trackSid, muted }) });
  }

  #updateMetadata(update: Parameters<typeof judgeMetadataUpdate>[0]): void {
    const { response, apply } = judgeMetadataUpdate(update, this.plan.canUpdateOwnMetadata);
    if (apply && this.#stillInRoom()) {
      this.host.rooms.updateParticipant(this.room, this.participant, {
        name: update.name || undefined,
        metadata: update.metadata || undefined,
        attributes: Object.keys(update.attributes).length ? update.attributes : undefined,
      });
    }
    this.send({ case: 'requestResponse', value: response });
  }
}
