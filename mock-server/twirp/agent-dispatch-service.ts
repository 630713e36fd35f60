import { CreateAgentDispatchRequest, DeleteAgentDispatchRequest, ListAgentDispatchRequest, ListAgentDispatchResponse } from '@livekit/protocol';
import type { AuthContext } from '../auth/claims.ts';
import type { Clock } from '../core/clock.ts';
import { deploymentError } from '../config/limits.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import { checkDispatchAttributes, checkDispatchMetadata } from './limits-check.ts';
import { noRpcResponse, psrpcError } from './psrpc-error.ts';
import { ensureAdmin } from './permissions.ts';
import { method, type TwirpService } from './twirp-service.ts';

/** livekit.AgentDispatchService (agent_dispatch_service.go + room.go dispatch handling). */
export function agentDispatchService(rooms: RoomManager, clock: Clock, roomRpcUnavailableMs: number): TwirpService {
  /** roomAdmin for the room, which must be live: a room that is not has no RPC subscriber. */
  const liveRoomAsAdmin = async (auth: AuthContext | undefined, name: string) => {
    ensureAdmin(auth, name);
    return rooms.get(name) ?? noRpcResponse(clock, roomRpcUnavailableMs);
  };
  return {
    CreateDispatch: method({
      input: CreateAgentDispatchRequest,
      roomOf: (req) => req.room,
      handle(req, auth) {
        ensureAdmin(auth, req.room);
        const badDeployment = deploymentError(req.deployment);
        if (badDeployment) throw psrpcError('invalid_argument', badDeployment);
        checkDispatchMetadata(req.metadata);
        checkDispatchAttributes(req.attributes);
        // room.auto_create: a missing room is created first, and gets the default dispatch too
        const { room } = rooms.getOrCreate(
          { name: req.room, emptyTimeout: 0, departureTimeout: 0, maxParticipants: 0, metadata: '', agents: [] },
          'api',
        );
        return rooms.addDispatch(room, req).dispatch;
      },
    }),
    ListDispatch: method({
      input: ListAgentDispatchRequest,
      roomOf: (req) => req.room,
      async handle(req, auth) {
        const room = await liveRoomAsAdmin(auth, req.room);
        const all = [...room.dispatches.values()].map((d) => d.dispatch);
        return new ListAgentDispatchResponse({ agentDispatches: req.dispatchId ? all.filter((d) => d.id === req.dispatchId) : all });
      },
    }),
    DeleteDispatch: method({
      input: DeleteAgentDispatchRequest,
      roomOf: (req) => req.room,
      async handle(req, auth) {
        const room = await liveRoomAsAdmin(auth, req.room);
        const record = rooms.deleteDispatch(room, req.dispatchId);
        if (!record) throw psrpcError('not_found', 'dispatch ID not found');
        return record.dispatch;
      },
    }),
  };
}
