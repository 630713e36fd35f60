import type { DisconnectReason } from '@livekit/protocol';
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
  | { type: 'room_closed'; room: Room; reason: DisconnectReason };

export type RoomEventListener = (event: RoomEvent) => void;
