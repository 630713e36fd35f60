import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { DisconnectReason, LeaveRequest, LeaveRequest_Action, type DataPacket_Kind } from '@livekit/protocol';
import { WebSocketServer } from 'ws';
import type { AuthContext } from '../auth/claims.ts';
import type { Participant } from '../rooms/participant.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomEvent } from '../rooms/room-events.ts';
import { matchesParticipant } from '../faults/fault-gate.ts';
import type { MockCore } from '../server/mock-core.ts';
import { rejectUpgrade, writeText } from '../transport/http-helpers.ts';
import type { ServerExtension } from '../transport/server-extension.ts';
import { isDestination, stampForForwarding } from './data-packet-rules.ts';
import { validateJoin, type JoinPlan } from './join-validation.ts';
import type { RtcPeerFactory } from './peer/rtc-peer.ts';
import { defaultPeerFactory } from './peer/node-datachannel-peer.ts';
import { RtcJoinError } from './rtc-errors.ts';
import { encodeSignalResponse } from './signal-codec.ts';
import { SignalSession, type SignalSessionHost } from './signal-session.ts';

export interface RtcExtensionOptions {
  /** The WebRTC stack answering client offers; node-datachannel (libdatachannel) by default. */
  peerFactory?: RtcPeerFactory;
  /**
   * A participant whose signal socket closes without a leave stays this long before it leaves
   * (DisconnectReason SIGNAL_CLOSE). The real server waits for a resume instead; the mock does not resume.
   */
  signalLossGraceMs?: number;
}

export const DEFAULT_SIGNAL_LOSS_GRACE_MS = 2_000;

const RTC_PATHS: Record<string, { v1: boolean }> = { '/rtc': { v1: false }, '/rtc/v1': { v1: true } };
const VALIDATE_PATHS: Record<string, { v1: boolean }> = { '/rtc/validate': { v1: false }, '/rtc/v1/validate': { v1: true } };
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error' };

/**
 * livekit-server's RTCService on the mock: /rtc (v0, query parameters) and /rtc/v1 (join_request with the
 * publisher offer), their /validate twins, and the fan-out of room events to connected clients.
 */
export function createRtcExtension(core: MockCore, options: RtcExtensionOptions = {}): ServerExtension {
  // skipUTF8Validation: gorilla/websocket hands invalid UTF-8 text frames to the read loop (which fails to
  // decode them and closes with 1000) where ws would send its own 1007 close (found by /rtc fuzzing)
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true, skipUTF8Validation: true });
  const byParticipant = new Map<Participant, SignalSession>();
  const byRoom = new Map<Room, Set<SignalSession>>();
  const inRoom = (room: Room) => [...(byRoom.get(room) ?? [])];

  const host: SignalSessionHost = {
    rooms: core.rooms,
    ctx: core.ctx,
    peerFactory: options.peerFactory ?? defaultPeerFactory(),
    faults: core.faults,
    signalLossGraceMs: options.signalLossGraceMs ?? DEFAULT_SIGNAL_LOSS_GRACE_MS,
    relayData(from: SignalSession, kind: DataPacket_Kind, bytes: Uint8Array) {
      const dp = stampForForwarding(from.participant, kind, bytes);
      if (!dp) return;
      for (const s of inRoom(from.room)) if (isDestination(dp, from.participant, s.participant)) s.deliverData(kind, dp);
    },
    sessionEnded(session: SignalSession) {
      if (byParticipant.get(session.participant) === session) byParticipant.delete(session.participant);
      byRoom.get(session.room)?.delete(session);
      if (byRoom.get(session.room)?.size === 0) byRoom.delete(session.room);
    },
  };

  const onRoomEvent = (e: RoomEvent) => {
    switch (e.type) {
      case 'participant_updates': {
        // batched and filtered by the room (RoomManager's update queue); here only delivered
        const only = e.only && byParticipant.get(e.only);
        for (const s of e.only ? (only ? [only] : []) : inRoom(e.room)) s.sendParticipants(e.updates);
        return;
      }
      case 'participant_removed':
        byParticipant.get(e.participant)?.disconnect(e.reason);
        return;
      case 'participant_left':
        // a client's own leave is answered with Leave{DISCONNECT, reason} too (a no-op on a closed socket)
        byParticipant.get(e.participant)?.disconnect(e.participant.disconnectReason);
        return;
      case 'room_updated':
        for (const s of inRoom(e.room)) s.sendRoomUpdate(e.room);
        return;
      case 'room_closed':
        for (const s of inRoom(e.room)) s.participantGone();
        return;
    }
  };
  const unsubscribe = core.rooms.onEvent(onRoomEvent);
  // close faults with a participant target (applyFault → FaultGate.closeParticipants) end these sockets
  const stopClosing = core.faults.onCloseParticipants((target, abrupt) => {
    let closed = 0;
    for (const s of [...byParticipant.values()]) {
      if (!matchesParticipant(target, { room: s.room.name, identity: s.participant.identity }) || !s.closeSignal(abrupt)) continue;
      core.trace.record({ kind: 'fault.applied', fault: abrupt ? 'close_abrupt' : 'close', target: `${s.room.name}/${s.participant.identity}` });
      closed++;
    }
    return closed;
  });

  const join = (ws: import('ws').WebSocket, plan: JoinPlan) => {
    const { room } = core.rooms.getOrCreate(plan.createRoom, plan.createRoom.agents.length ? 'token' : 'default');
    const participant = core.rooms.join(room, plan.spec);
    const session = new SignalSession(ws, room, participant, plan, host);
    byParticipant.set(participant, session);
    if (!byRoom.has(room)) byRoom.set(room, new Set());
    byRoom.get(room)!.add(session);
    const others = [...room.participants.values()].filter((p) => p !== participant && !p.permission.hidden).map((p) => p.toProto());
    session.start(others);
    core.rooms.joinResponseSent(room, participant);
  };

  return {
    handleRequest(_req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, auth: AuthContext | undefined): boolean {
      if (RTC_PATHS[path]) {
        res.writeHead(404).end(); // not a WebSocket upgrade
        return true;
      }
      const validate = VALIDATE_PATHS[path];
      if (!validate) return false;
      try {
        validateJoin(auth, query, validate.v1, true);
        writeText(res, 200, 'success');
      } catch (e) {
        if (!(e instanceof RtcJoinError)) throw e;
        writeText(res, e.status, e.body);
      }
      return true;
    },

    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, query: URLSearchParams, auth: AuthContext | undefined): boolean {
      const route = RTC_PATHS[path];
      if (!route) return false;
      let plan: JoinPlan;
      try {
        plan = validateJoin(auth, query, route.v1, false);
      } catch (e) {
        if (!(e instanceof RtcJoinError)) throw e;
        rejectUpgrade(socket, e.status, STATUS_TEXT[e.status] ?? 'Error', e.body);
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (plan.reconnect) {
          // No resume in the mock: answer as the real server does for an unknown session (roommanager.go),
          // which makes the client do a full reconnect with a fresh join.
          const leave = new LeaveRequest({ action: LeaveRequest_Action.RECONNECT, reason: DisconnectReason.STATE_MISMATCH });
          ws.send(encodeSignalResponse({ case: 'leave', value: leave }, false));
          ws.close(1000);
          return;
        }
        join(ws, plan);
      });
      return true;
    },

    close() {
      unsubscribe();
      stopClosing();
      for (const s of [...byParticipant.values()]) s.participantGone();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
