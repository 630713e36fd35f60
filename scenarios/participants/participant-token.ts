import { RoomAgentDispatch, RoomConfiguration } from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import type { ParticipantJoin } from './participant-driver.ts';

/**
 * The join token every client driver mints for a scenario participant: identity, name, metadata, attributes,
 * kind, and the token's roomConfig.agents (explicit dispatch at room creation). One place, so the signalling
 * and the media participants present the same person to the server.
 */
export function participantToken(target: Pick<LiveKitTarget, 'apiKey' | 'apiSecret'>, p: ParticipantJoin): Promise<string> {
  const at = new AccessToken(target.apiKey, target.apiSecret, { identity: p.identity, name: p.name, metadata: p.metadata, attributes: p.attributes });
  at.addGrant({ roomJoin: true, room: p.room, canPublish: true, canSubscribe: true });
  if (p.kind && p.kind !== 'standard') at.kind = p.kind as never;
  if (p.agents?.length) at.roomConfig = new RoomConfiguration({ agents: p.agents.map((a) => new RoomAgentDispatch({ agentName: a.agentName, metadata: a.metadata ?? '' })) });
  return at.toJwt();
}
