import {
  CreateRoomRequest,
  DeleteRoomRequest,
  DeleteRoomResponse,
  DisconnectReason,
  ListParticipantsRequest,
  ListParticipantsResponse,
  ListRoomsRequest,
  ListRoomsResponse,
  RemoveParticipantResponse,
  RoomParticipantIdentity,
  UpdateParticipantRequest,
  UpdateRoomMetadataRequest,
} from '@livekit/protocol';
import { psrpcError } from './psrpc-error.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import { checkAttributes, checkMetadata, checkParticipantName, checkRoomName } from './limits-check.ts';
import { ensureAdmin, ensureCreate, ensureList } from './permissions.ts';
import { method, type TwirpService } from './twirp-service.ts';

// ErrRoomNotFound / ErrParticipantNotFound are psrpc errors: "twirp error unknown: ..." on the wire
const roomNotFound = () => psrpcError('not_found', 'requested room does not exist');
const participantNotFound = () => psrpcError('not_found', 'participant does not exist');

/** livekit.RoomService, in livekit-server's check order (roomservice.go). */
export function roomService(rooms: RoomManager): TwirpService {
  const participantOf = (room: string, identity: string) => {
    const r = rooms.get(room);
    const p = r?.participants.get(identity);
    if (!r || !p) throw participantNotFound();
    return { r, p };
  };
  return {
    CreateRoom: method({
      input: CreateRoomRequest,
      roomOf: (req) => req.name,
      handle(req, auth) {
        ensureCreate(auth);
        checkRoomName(req.name);
        checkMetadata(req.metadata);
        for (const ad of req.agents) {
          checkMetadata(ad.metadata);
          checkAttributes(ad.attributes);
        }
        return rooms.getOrCreate(req, 'create_room').room.toProto();
      },
    }),
    ListRooms: method({
      input: ListRoomsRequest,
      handle(req, auth) {
        ensureList(auth);
        return new ListRoomsResponse({ rooms: rooms.list(req.names).map((r) => r.toProto()) });
      },
    }),
    DeleteRoom: method({
      input: DeleteRoomRequest,
      roomOf: (req) => req.room,
      handle(req, auth) {
        ensureCreate(auth);
        const room = rooms.get(req.room);
        if (!room) throw roomNotFound();
        rooms.close(room, DisconnectReason.ROOM_DELETED);
        return new DeleteRoomResponse();
      },
    }),
    ListParticipants: method({
      input: ListParticipantsRequest,
      roomOf: (req) => req.room,
      handle(req, auth) {
        ensureAdmin(auth, req.room);
        // an unknown room is an empty list, not an error
        const participants = [...(rooms.get(req.room)?.participants.values() ?? [])].map((p) => p.toProto());
        return new ListParticipantsResponse({ participants });
      },
    }),
    GetParticipant: method({
      input: RoomParticipantIdentity,
      roomOf: (req) => req.room,
      handle(req, auth) {
        ensureAdmin(auth, req.room);
        return participantOf(req.room, req.identity).p.toProto();
      },
    }),
    RemoveParticipant: method({
      input: RoomParticipantIdentity,
      roomOf: (req) => req.room,
      handle(req, auth) {
        ensureAdmin(auth, req.room);
        const { r } = participantOf(req.room, req.identity);
        rooms.removeParticipant(r, req.identity, DisconnectReason.PARTICIPANT_REMOVED);
        return new RemoveParticipantResponse();
      },
    }),
    UpdateParticipant: method({
      input: UpdateParticipantRequest,
      roomOf: (req) => req.room,
      handle(req, auth) {
        // sizes are checked before permissions, as the real server does
        checkParticipantName(req.name);
        checkMetadata(req.metadata);
        checkAttributes(req.attributes);
        ensureAdmin(auth, req.room);
        const { r, p } = participantOf(req.room, req.identity);
        rooms.updateParticipant(r, p, {
          name: req.name || undefined,
          metadata: req.metadata || undefined,
          attributes: Object.keys(req.attributes).length ? req.attributes : undefined,
        });
        if (req.permission) rooms.updatePermission(r, p, req.permission);
        return p.toProto();
      },
    }),
    UpdateRoomMetadata: method({
      input: UpdateRoomMetadataRequest,
      roomOf: (req) => req.room,
      handle(req, auth) {
        checkMetadata(req.metadata);
        ensureAdmin(auth, req.room);
        const room = rooms.get(req.room);
        if (!room) throw roomNotFound();
        rooms.updateRoomMetadata(room, req.metadata);
        return room.toProto();
      },
    }),
  };
}
