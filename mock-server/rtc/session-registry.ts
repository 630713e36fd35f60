import { DisconnectReason, LeaveRequest, LeaveRequest_Action, type DataPacket_Kind } from '@livekit/protocol';
import { matchesParticipant } from '../faults/fault-gate.ts';
import type { Participant } from '../rooms/participant.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomEvent } from '../rooms/room-events.ts';
import type { MockCore } from '../server/mock-core.ts';
import { isDestination } from './data-packet-rules.ts';
import { relayData } from './data-relay.ts';
import { RoomMedia } from './media/room-media.ts';
import type { JoinPlan } from './join-validation.ts';
import type { RtcPeerFactory } from './peer/rtc-peer.ts';
import { encodeSignalResponse } from './signal-codec.ts';
import type { SignalConnection, SignalConnectionListener } from './signal-connection.ts';
import { SignalSession, type SignalSessionHost } from './signal-session.ts';

export interface SessionRegistryOptions {
  peerFactory: RtcPeerFactory;
  signalLossGraceMs: number;
}

/**
 * Every live /rtc session, by participant and by room: joins and resumes, the fan-out of room
 * events to connected clients, the data relay, and participant close faults. No sockets here: a
 * SignalConnection is all it needs, so its rules run on the ManualClock (session-registry.test.ts).
 */
export class SessionRegistry {
  readonly #byParticipant = new Map<Participant, SignalSession>();
  readonly #byRoom = new Map<Room, Set<SignalSession>>();
  readonly #host: SignalSessionHost;
  readonly media: RoomMedia;
  readonly #unsubscribe: () => void;
  readonly #stopClosing: () => void;

  constructor(
    private readonly core: MockCore,
    options: SessionRegistryOptions,
  ) {
    this.media = new RoomMedia(core, this);
    this.#host = {
      rooms: core.rooms,
      ctx: core.ctx,
      peerFactory: options.peerFactory,
      faults: core.faults,
      signalLossGraceMs: options.signalLossGraceMs,
      relayData: (from: SignalSession, kind: DataPacket_Kind, bytes: Uint8Array) => {
        const dp = relayData(from, kind, bytes, this.inRoom(from.room));
        if (dp) core.rooms.publishData(from.room, from.participant, kind, dp, true); // virtual receivers (the SIP bridge)
      },
      sessionEnded: (session: SignalSession) => this.#remove(session),
      media: this.media,
    };
    this.#unsubscribe = core.rooms.onEvent((e) => this.#onRoomEvent(e));
    // close faults with a participant target (applyFault → FaultGate.closeParticipants) end these connections
    this.#stopClosing = core.faults.onCloseParticipants((target, abrupt) => {
      let closed = 0;
      for (const s of [...this.#byParticipant.values()]) {
        if (!matchesParticipant(target, { room: s.room.name, identity: s.participant.identity }) || !s.closeSignal(abrupt)) continue;
        core.trace.record({ kind: 'fault.applied', fault: abrupt ? 'close_abrupt' : 'close', target: `${s.room.name}/${s.participant.identity}` });
        closed++;
      }
      return closed;
    });
  }

  /**
   * A validated join on a new connection. Returns the listener for the connection's frames, or undefined when
   * the connection was answered and closed (a resume of a participant that is gone).
   */
  open(conn: SignalConnection, plan: JoinPlan): SignalConnectionListener | undefined {
    if (plan.reconnect) {
      // roommanager.go: resume the participant of that identity if it is still in the room; otherwise
      // Leave{RECONNECT, STATE_MISMATCH}, and the client does a full reconnect with a fresh join.
      const room = this.core.rooms.get(plan.roomName);
      const participant = room?.participants.get(plan.spec.identity);
      const session = participant && this.#byParticipant.get(participant);
      if (session && plan.firesTrackByRtp) {
        // pion drops its ICE state at an ICE-restart offer and needs new server credentials, which libdatachannel cannot give
        this.core.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${plan.spec.identity}: resume refused for a Go (pion) client, which does a full reconnect instead (deliberate difference rtc-resume-pion)` });
      } else if (room && session?.resume(conn, [...room.participants.values()].filter((p) => !p.permission.hidden).map((p) => p.toProto()))) {
        this.core.trace.record({ kind: 'log', level: 'info', message: `rtc: ${plan.spec.identity} resumed its session in ${room.name}` });
        return session.listenerFor(conn);
      }
      const leave = new LeaveRequest({ action: LeaveRequest_Action.RECONNECT, reason: DisconnectReason.STATE_MISMATCH });
      conn.send(encodeSignalResponse({ case: 'leave', value: leave }, false));
      conn.close();
      return undefined;
    }
    const { room } = this.core.rooms.getOrCreate(plan.createRoom, plan.createRoom.agents.length ? 'token' : 'default');
    const participant = this.core.rooms.join(room, plan.spec);
    const session = new SignalSession(conn, room, participant, plan, this.#host);
    this.#byParticipant.set(participant, session);
    if (!this.#byRoom.has(room)) this.#byRoom.set(room, new Set());
    this.#byRoom.get(room)!.add(session);
    const others = [...room.participants.values()].filter((p) => p !== participant && !p.permission.hidden).map((p) => p.toProto());
    session.start(others);
    this.core.rooms.joinResponseSent(room, participant);
    return session.listenerFor(conn);
  }

  inRoom(room: Room): SignalSession[] {
    return [...(this.#byRoom.get(room) ?? [])];
  }

  of(participant: Participant): SignalSession | undefined {
    return this.#byParticipant.get(participant);
  }

  close(): void {
    this.#unsubscribe();
    this.#stopClosing();
    for (const s of [...this.#byParticipant.values()]) s.participantGone();
  }

  #remove(session: SignalSession): void {
    if (this.#byParticipant.get(session.participant) === session) this.#byParticipant.delete(session.participant);
    this.#byRoom.get(session.room)?.delete(session);
    if (this.#byRoom.get(session.room)?.size === 0) this.#byRoom.delete(session.room);
    this.media.ended(session);
  }

  /** What each connected client hears about its room (room.go's broadcasts). */
  #onRoomEvent(e: RoomEvent): void {
    switch (e.type) {
      case 'participant_updates': {
        // batched and filtered by the room (RoomManager's update queue); here only delivered
        const only = e.only && this.#byParticipant.get(e.only);
        for (const s of e.only ? (only ? [only] : []) : this.inRoom(e.room)) s.sendParticipants(e.updates);
        return;
      }
      case 'participant_removed':
        this.#byParticipant.get(e.participant)?.disconnect(e.reason);
        return;
      case 'participant_left':
        // a client's own leave is answered with Leave{DISCONNECT, reason} too (a no-op on a closed socket)
        this.#byParticipant.get(e.participant)?.disconnect(e.participant.disconnectReason);
        return;
      case 'room_updated':
        for (const s of this.inRoom(e.room)) s.sendRoomUpdate(e.room);
        return;
      case 'room_closed':
        for (const s of this.inRoom(e.room)) s.participantGone();
        return;
      case 'participant_joined':
      case 'participant_updated':
        return; // clients hear of these through participant_updates
      case 'track_muted_by_admin':
        this.#byParticipant.get(e.participant)?.sendMuted(e.trackSid, e.muted);
        return;
      case 'subscriptions_requested':
        this.#byParticipant.get(e.participant)?.applySubscriptions(e.trackSids, e.subscribe);
        return;
      case 'data':
        // a virtual sender's packet (a phone's DTMF): deliver it as relayData would
        if (!e.relayed) for (const s of this.inRoom(e.room)) if (isDestination(e.packet, e.from, s.participant)) s.deliverData(e.kind, e.packet);
        return;
    }
  }
}
