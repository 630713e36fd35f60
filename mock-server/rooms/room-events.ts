import type { DataPacket, DataPacket_Kind, DisconnectReason, ParticipantInfo } from '@livekit/protocol';
import type { Participant } from './participant.ts';
import type { Room } from './room.ts';

/** What the signalling layer must tell connected clients. Emitted by RoomManager. */
export type RoomEvent =
  /**
   * State changes as they happen, for in-process observers (the SIP bridge); connected clients hear of them
   * through participant_updates, batched as the real server sends them.
   */
  | { type: 'participant_joined'; room: Room; participant: Participant }
  | { type: 'participant_updated'; room: Room; participant: Participant }
  /**
   * A ParticipantUpdate for every participant in the room (or only for `only`, a participant's own deferred
   * update), already batched by the room's ParticipantUpdateQueue.
   */
  | { type: 'participant_updates'; room: Room; updates: ParticipantInfo[]; only?: Participant }
  /** Server-initiated removal: the participant's own connection gets LeaveRequest{DISCONNECT, reason} first. */
  | { type: 'participant_removed'; room: Room; participant: Participant; reason: DisconnectReason }
  /** The participant is gone from the room: its own connection ends (others learn it through participant_updates). */
  | { type: 'participant_left'; room: Room; participant: Participant }
  /** The room's cached proto changed (RoomSnapshot): a RoomUpdate for everyone in it. */
  | { type: 'room_updated'; room: Room }
  /** A data packet sent in the room (already stamped); no `from` for the server's own (Twirp SendData). */
  | { type: 'data'; room: Room; from?: Participant; kind: DataPacket_Kind; packet: DataPacket; relayed: boolean }
  /** Twirp MutePublishedTrack: the publisher's own connection is told (SignalResponse mute) so its SDK mutes too. */
  | { type: 'track_muted_by_admin'; room: Room; participant: Participant; trackSid: string; muted: boolean }
  /** Twirp UpdateSubscriptions: the participant's connection (un)subscribes as if its client had asked. */
  | { type: 'subscriptions_requested'; room: Room; participant: Participant; trackSids: string[]; subscribe: boolean }
  | { type: 'room_closed'; room: Room; reason: DisconnectReason };

export type RoomEventListener = (event: RoomEvent) => void;
