import {
  type DataPacket,
  DisconnectReason,
  JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  ParticipantUpdate,
  Pong,
  RoomUpdate,
  SessionDescription,
  SignalTarget,
  TrackPublishedResponse,
  TrickleRequest,
  protoInt64,
  type DataPacket_Kind,
  type ParticipantInfo,
  type SignalRequest,
} from '@livekit/protocol';
import type { WebSocket } from 'ws';
import type { AgentCoreContext } from '../agent/agent-context.ts';
import type { TimerHandle } from '../core/clock.ts';
import type { FaultGate } from '../faults/fault-gate.ts';
import type { Participant } from '../rooms/participant.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import { DATA_CHANNEL_KINDS } from './data-packet-rules.ts';
import type { JoinPlan } from './join-validation.ts';
import type { CandidateInit, PeerDataChannel, RtcPeer, RtcPeerFactory } from './peer/rtc-peer.ts';
import { decodeSignalRequest, encodeSignalResponse, type SignalResponseMessage } from './signal-codec.ts';
import { trackInfoFor } from './track-info.ts';
import { judgeMetadataUpdate } from './update-metadata.ts';

/** rtc/participant.go PingIntervalSeconds / PingTimeoutSeconds; 0 would panic the Rust SDK. */
const PING_INTERVAL_SEC = 5;
const PING_TIMEOUT_SEC = 15;

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
}

/**
 * One client's signal WebSocket and its PeerConnection: the JoinResponse, SDP/trickle, pings, the
 * client's own requests, and whatever the room tells this participant. Nothing a client sends can throw out of here.
 */
export class SignalSession {
  readonly #peer: RtcPeer;
  readonly #outgoing = new Map<string, PeerDataChannel>();
  #json = false;
  /** The participant is no longer in the room (left, removed, or lost). */
  #gone = false;
  #closed = false;
  /** The read loop ended (an undecodable frame): later frames are not read, as in rtcservice.go. */
  #readEnded = false;
  #graceTimer?: TimerHandle;

  constructor(
    private readonly ws: WebSocket,
    readonly room: Room,
    readonly participant: Participant,
    private readonly plan: JoinPlan,
    private readonly host: SignalSessionHost,
  ) {
    this.#peer = host.peerFactory({
      onLocalCandidate: (c) => this.#sendCandidate(c),
      onConnected: () => this.#onPeerConnected(),
      onDisconnected: () => undefined, // the signal socket decides when a participant is gone
      onDataChannel: (ch) => {
        const kind = DATA_CHANNEL_KINDS[ch.label];
        if (kind === undefined) return; // _data_track and others carry no DataPackets
        ch.onMessage((bytes) => this.host.relayData(this, kind, bytes));
      },
    });
  }

  start(otherParticipants: ParticipantInfo[]): void {
    this.ws.on('message', (data, isBinary) => this.#onFrame(data as Buffer, isBinary));
    this.ws.on('close', () => this.#onSocketClosed());
    this.ws.on('error', () => undefined);
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
        // No server-side subscriber PeerConnection: v0 clients negotiate on their publisher PC.
        subscriberPrimary: false,
        fastPublish: canPublish,
        pingInterval: PING_INTERVAL_SEC,
        pingTimeout: PING_TIMEOUT_SEC,
      }),
    });
    const offer = this.plan.publisherOffer;
    if (offer?.sdp) this.#answer(offer);
  }

  send(message: SignalResponseMessage): void {
    if (this.#closed || this.ws.readyState !== this.ws.OPEN) return;
    this.host.faults.signal(this.#peerRef(), 'out', message.case ?? '', () => {
      // a delayed message may find the socket gone
      if (this.#closed || this.ws.readyState !== this.ws.OPEN) return;
      this.ws.send(encodeSignalResponse(message, this.#json));
    });
  }

  /** A close fault: `abrupt` drops TCP without a close frame, otherwise a clean 1000 close; either way a lost signal connection. */
  closeSignal(abrupt: boolean): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    if (abrupt) this.ws.terminate();
    else this.ws.close(1000);
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

  deliverData(kind: DataPacket_Kind, dp: DataPacket): void {
    const label = kind === DATA_CHANNEL_KINDS._reliable ? '_reliable' : '_lossy';
    this.#outgoing.get(label)?.send(dp.toBinary());
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
    this.#peer.close();
    // a normal close after the queued frames (the real server's CloseNormalClosure)
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    this.host.sessionEnded(this);
  }

  #onSocketClosed(): void {
    if (this.#gone) return this.#close();
    // The real server keeps the participant for a resume; the mock keeps it for a short grace period.
    this.#graceTimer = this.host.ctx.clock.setTimer(this.host.signalLossGraceMs, () => {
      if (!this.#stillInRoom()) return;
      this.host.rooms.participantLeft(this.room, this.participant.identity, DisconnectReason.SIGNAL_CLOSE);
    });
    this.#peer.close();
  }

  #stillInRoom(): boolean {
    return !this.room.closed && this.room.participants.get(this.participant.identity) === this.participant;
  }

  #onFrame(data: Buffer, isBinary: boolean): void {
    if (this.#readEnded) return;
    const req = decodeSignalRequest(data, isBinary);
    if (!req) {
      // rtcservice.go: a ReadRequest error ends the read loop and the socket closes with CloseNormalClosure;
      // the participant is then handled as a lost signal connection (found by /rtc fuzzing against v1.13.5)
      this.#readEnded = true;
      this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity}: undecodable signal frame (${data.length} bytes); closing the signal connection` });
      if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
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
      case 'trickle':
        return this.#addCandidate(m.value);
      case 'addTrack':
        return this.#addTrack(m.value);
      case 'mute':
        return this.#mute(m.value.sid, m.value.muted);
      case 'updateMetadata':
        return this.#updateMetadata(m.value);
      case 'leave':
        if (!this.#stillInRoom()) return this.participantGone();
        return this.host.rooms.participantLeft(
          this.room,
          this.participant.identity,
          KEPT_LEAVE_REASONS.has(m.value.reason) ? m.value.reason : DisconnectReason.CLIENT_INITIATED,
        );
      default:
        // answer (no server offers are made), subscription, trackSetting, syncState, simulate, … : ignored
        return;
    }
  }

  #answer(offer: SessionDescription): void {
    this.#peer.answer(offer.sdp).then(
      (sdp) => {
        this.send({ case: 'answer', value: new SessionDescription({ type: 'answer', sdp, id: offer.id }) });
        if (/^m=application/m.test(offer.sdp)) this.#openOutgoingChannels();
      },
      (e: Error) => this.host.ctx.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${this.participant.identity}: cannot answer offer: ${e.message}` }),
    );
  }

  #addCandidate(trickle: TrickleRequest): void {
    // single PC: every candidate belongs to the publisher PC; v0 subscriber candidates have no PC here
    if (!this.plan.singlePeerConnection && trickle.target === SignalTarget.SUBSCRIBER) return;
    let init: CandidateInit;
    try {
      init = JSON.parse(trickle.candidateInit) as CandidateInit;
    } catch {
      return;
    }
    if (!init?.candidate) return; // end-of-candidates
    this.#peer.addRemoteCandidate(init).catch(() => undefined);
  }

  #sendCandidate(c: CandidateInit): void {
    const candidateInit = JSON.stringify({ candidate: c.candidate, sdpMid: c.sdpMid ?? '0', sdpMLineIndex: c.sdpMLineIndex ?? 0 });
    this.send({ case: 'trickle', value: new TrickleRequest({ target: SignalTarget.PUBLISHER, candidateInit }) });
  }

  #onPeerConnected(): void {
    if (this.#closed) return;
    if (this.#stillInRoom()) this.host.rooms.markActive(this.room, this.participant);
  }

  /**
   * Downstream data goes over channels the server opens (the Rust SDK adopts these labels as its receive
   * channels). They are made right after the first answer, not on 'connected': the client can see the
   * connection up, and others can send to it, before the server's own state callback runs.
   */
  #openOutgoingChannels(): void {
    if (this.#outgoing.size || this.#closed) return;
    this.#outgoing.set('_reliable', this.#peer.openChannel('_reliable', { ordered: true }));
    this.#outgoing.set('_lossy', this.#peer.openChannel('_lossy', { ordered: false, maxRetransmits: 0 }));
  }

  #addTrack(req: Parameters<typeof trackInfoFor>[0]): void {
    if (!this.participant.permission.canPublish || !this.#stillInRoom()) return; // no response, as the real server
    const track = trackInfoFor(req, this.host.ctx.ids.next('TR_'));
    this.send({ case: 'trackPublished', value: new TrackPublishedResponse({ cid: req.cid, track }) });
    this.host.rooms.publishTrack(this.room, this.participant, track);
  }

  #mute(trackSid: string, muted: boolean): void {
    const track = this.participant.tracks.find((t) => t.sid === trackSid);
    if (!track || !this.#stillInRoom()) return;
    track.muted = muted;
    this.host.rooms.updateParticipant(this.room, this.participant, {});
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
