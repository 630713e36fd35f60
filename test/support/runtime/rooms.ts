import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitTarget } from '../../../targets/livekit-target.ts';

/** Creates a room (JT_ROOM auto-dispatch for unnamed agents) through Twirp, as a user's backend would. */
export async function createRoom(target: LiveKitTarget, name: string): Promise<void> {
  await new RoomServiceClient(target.httpUrl, target.apiKey, target.apiSecret).createRoom({ name });
}

/** Explicit dispatch of a named agent into a room. */
export async function dispatchAgent(target: LiveKitTarget, room: string, agentName: string, metadata = ''): Promise<string> {
  const dispatch = await new AgentDispatchClient(target.httpUrl, target.apiKey, target.apiSecret).createDispatch(room, agentName, { metadata });
  return dispatch.id;
}
