import type { DataPacket, DataPacket_Kind, DisconnectReason } from '@livekit/protocol';
import type { Participant } from './participant.ts';
import type { Room } from './room.ts';

/** What the signalling layer must tell connected clients. Emitted by RoomManager. */
export type RoomEvent =
  | { type: 'participant_joined'; room: Room; participant: Participant }
  | { type: 'participant_updated'; room: Room; participant: Participant }
  /** Server-initiated removal: the participant's own connection gets LeaveRequest{DISCONNECT, reason} first. */
  | { type: 'participant_removed'; room: Room; participant: Participant; reason: DisconnectReason }
  | { type: 'participant_left'; room: Room; participant: Participant }
  | { type: 'room_updated'; room: Room }
  /** A data packet sent in the room (already stamped); `relayed` when the signalling layer already delivered it to its sessions. */
  | { type: 'data'; room: Room; from: Participant; kind: DataPacket_Kind; packet: DataPacket; relayed: boolean }
  | { type: 'room_closed'; room: Room; reason: DisconnectReason };

export type RoomEventListener = (event: RoomEvent) => void;
