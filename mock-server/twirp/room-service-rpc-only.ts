import {
  ForwardParticipantRequest,
  MoveParticipantRequest,
  MuteRoomTrackRequest,
  PerformRpcRequest,
  SendDataRequest,
  SendDataResponse,
  UpdateSubscriptionsRequest,
} from '@livekit/protocol';
import type { Message, MessageType } from '@bufbuild/protobuf';
import type { AuthContext } from '../auth/claims.ts';
import type { Clock } from '../core/clock.ts';
import { TwirpError } from '../core/errors.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import { ensureAdmin } from './permissions.ts';
import { noRpcResponse, psrpcError } from './psrpc-error.ts';
import { method, type TwirpService } from './twirp-service.ts';

/** EnsureDestRoomPermission: roomAdmin, `room` = the source room and `destinationRoom` = the destination. */
function ensureDestRoom(auth: AuthContext | undefined, room: string, destination: string): void {
  const video = auth?.grants.video;
  if (!video?.roomAdmin || (video.room ?? '') !== room || (video.destinationRoom ?? '') !== destination) {
    throw new TwirpError('unauthenticated', 'permissions denied');
  }
}

/**
 * The RoomService methods that act on a participant's media session through psrpc (roomservice.go). The lab
 * has no media, so past the real server's own checks (permissions first, then argument checks) it answers as
 * livekit-server does when no node serves the participant: `unavailable` after the RPC retries; or, for a
 * participant that is live in the mock, `unimplemented`. Before these existed, every call here was a bad_route
 * 404 where the real server answers 401 unauthenticated (found by the auth matrix).
 */
export function roomServiceRpcOnly(rooms: RoomManager, clock: Clock, roomRpcUnavailableMs: number): TwirpService {
  const noServer = async (room: string, identity: string | undefined, what: string) => {
    const r = rooms.get(room);
    if (r && (identity === undefined || r.participants.has(identity))) {
      // RoomManager.ForwardParticipant/MoveParticipant are `errors.New("not implemented")` in v1.13.5: a plain
      // error through psrpc is code unknown (checked against the binary with a connected participant)
      if (what === 'ForwardParticipant' || what === 'MoveParticipant') throw psrpcError('unknown', 'not implemented');
      throw new TwirpError('unimplemented', `${what} is not simulated by dispatch-lab's mock server (it has no media sessions)`);
    }
    return noRpcResponse(clock, roomRpcUnavailableMs);
  };
  // twirp.InvalidArgumentError(ErrDestinationSameAsSourceRoom.Error(), ""): msg "<argument> " (trailing space), meta {argument}
  const arg = 'destination room cannot be the same as source room';
  const sameRoom = () => new TwirpError('invalid_argument', `${arg} `, { argument: arg });
  /** EnsureAdminPermission on the request's room, then the method's own checks and answer. */
  const adminMethod = <Req extends Message<Req> & { room: string }, Res extends Message<Res>>(input: MessageType<Req>, then: (req: Req) => Promise<Res>) =>
    method({
      input,
      roomOf: (req) => req.room,
      async handle(req: Req, auth) {
        ensureAdmin(auth, req.room);
        return then(req);
      },
    });
  /** EnsureAdminPermission, then the participant's media session. */
  const adminRpc = <Req extends Message<Req> & { room: string; identity: string }>(input: MessageType<Req>, what: string) =>
    adminMethod(input, (req) => noServer(req.room, req.identity, what));
  /** EnsureDestRoomPermission and distinct rooms, then the participant's media session. */
  const moveRpc = <Req extends Message<Req> & { room: string; identity: string; destinationRoom: string }>(input: MessageType<Req>, what: string) =>
    method({
      input,
      roomOf: (req) => req.room,
      async handle(req: Req, auth) {
        ensureDestRoom(auth, req.room, req.destinationRoom);
        if (req.room === req.destinationRoom) throw sameRoom();
        return noServer(req.room, req.identity, what);
      },
    });
  return {
    MutePublishedTrack: adminRpc(MuteRoomTrackRequest, 'MutePublishedTrack'),
    UpdateSubscriptions: adminRpc(UpdateSubscriptionsRequest, 'UpdateSubscriptions'),
    SendData: adminMethod(SendDataRequest, async (req) => {
      if (req.nonce.length !== 0 && req.nonce.length !== 16) {
        throw new TwirpError('invalid_argument', `nonce should be 16-bytes or not present, got: ${req.nonce.length} bytes`);
      }
      // the room's own RPC handler takes the data (a live room answers at once); nobody receives it in the lab
      if (rooms.get(req.room)) return new SendDataResponse();
      return noRpcResponse(clock, roomRpcUnavailableMs);
    }),
    ForwardParticipant: moveRpc(ForwardParticipantRequest, 'ForwardParticipant'),
    MoveParticipant: moveRpc(MoveParticipantRequest, 'MoveParticipant'),
    PerformRpc: adminMethod(PerformRpcRequest, async (req) => {
      if (!req.destinationIdentity) throw psrpcError('invalid_argument', 'destination identity is required');
      return noServer(req.room, req.destinationIdentity, 'PerformRpc');
    }),
  };
}
