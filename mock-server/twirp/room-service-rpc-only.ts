import {
  ForwardParticipantRequest,
  MoveParticipantRequest,
  DataPacket,
  MuteRoomTrackRequest,
  MuteRoomTrackResponse,
  PerformRpcRequest,
  SendDataRequest,
  SendDataResponse,
  UpdateSubscriptionsRequest,
  UpdateSubscriptionsResponse,
  UserPacket,
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
 * The RoomService methods that reach a participant's session through psrpc (roomservice.go → roommanager.go).
 * Past the real server's own checks (permissions first, then argument checks): a participant that is not live
 * gets what livekit-server answers when no node serves its topic, `unavailable` after the RPC retries; a live
 * one gets MutePublishedTrack, UpdateSubscriptions and SendData done as roommanager.go does them, and
 * `unimplemented` for PerformRpc (not simulated). Before these existed, every call here was a bad_route 404
 * where the real server answers 401 unauthenticated (found by the auth matrix).
 */
export function roomServiceRpcOnly(rooms: RoomManager, clock: Clock, roomRpcUnavailableMs: number): TwirpService {
  const noServer = async (room: string, identity: string | undefined, what: string) => {
    const r = rooms.get(room);
    if (r && (identity === undefined || r.participants.has(identity))) {
      // RoomManager.ForwardParticipant/MoveParticipant are `errors.New("not implemented")` in v1.13.5: a plain
      // error through psrpc is code unknown (checked against the binary with a connected participant)
      if (what === 'ForwardParticipant' || what === 'MoveParticipant') throw psrpcError('unknown', 'not implemented');
      throw new TwirpError('unimplemented', `${what} is not simulated by dispatch-lab's mock server`);
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
  /** roomAndParticipantForReq on the node that serves the participant; undefined when none does. */
  const live = (room: string, identity: string) => {
    const r = rooms.get(room);
    const p = r?.participants.get(identity);
    return r && p ? { r, p } : undefined;
  };
  return {
    MutePublishedTrack: adminMethod(MuteRoomTrackRequest, async (req) => {
      const target = live(req.room, req.identity);
      if (!target) return noRpcResponse(clock, roomRpcUnavailableMs);
      // room.enable_remote_unmute is off in the dev config, so only muting is allowed
      if (!req.muted) throw psrpcError('failed_precondition', 'remote unmute not enabled');
      return new MuteRoomTrackResponse({ track: rooms.muteTrack(target.r, target.p, req.trackSid, true, true) });
    }),
    UpdateSubscriptions: adminMethod(UpdateSubscriptionsRequest, async (req) => {
      const target = live(req.room, req.identity);
      if (!target) return noRpcResponse(clock, roomRpcUnavailableMs);
      rooms.requestSubscriptions(target.r, target.p, [...req.trackSids, ...req.participantTracks.flatMap((pt) => pt.trackSids)], req.subscribe);
      return new UpdateSubscriptionsResponse();
    }),
    SendData: adminMethod(SendDataRequest, async (req) => {
      if (req.nonce.length !== 0 && req.nonce.length !== 16) {
        throw new TwirpError('invalid_argument', `nonce should be 16-bytes or not present, got: ${req.nonce.length} bytes`);
      }
      // the room's own RPC handler takes the data (a live room answers at once): Room.SendDataPacket, no sender
      const r = rooms.get(req.room);
      if (!r) return noRpcResponse(clock, roomRpcUnavailableMs);
      const { data: payload, kind, destinationSids, destinationIdentities, topic, nonce } = req;
      const user = new UserPacket({ payload, destinationSids, destinationIdentities, topic, nonce });
      rooms.publishData(r, undefined, kind, new DataPacket({ kind, destinationIdentities, value: { case: 'user', value: user } }));
      return new SendDataResponse();
    }),
    ForwardParticipant: moveRpc(ForwardParticipantRequest, 'ForwardParticipant'),
    MoveParticipant: moveRpc(MoveParticipantRequest, 'MoveParticipant'),
    PerformRpc: adminMethod(PerformRpcRequest, async (req) => {
      if (!req.destinationIdentity) throw psrpcError('invalid_argument', 'destination identity is required');
      return noServer(req.room, req.destinationIdentity, 'PerformRpc');
    }),
  };
}
