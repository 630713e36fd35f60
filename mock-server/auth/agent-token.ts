import type { ParticipantPermission } from '@livekit/protocol';
import { signHs256 } from './jwt.ts';

export const AGENT_TOKEN_TTL_SEC = 3600;

export interface AgentTokenInput {
  apiKey: string;
  apiSecret: string;
  room: string;
  identity: string;
  name: string;
  metadata: string;
  attributes: Record<string, string>;
  permissions: ParticipantPermission;
  nowMs: number;
}

/** protocol agent.BuildAgentToken: the JobAssignment token, claim for claim (key order as Go's encoder). */
export function buildAgentToken(input: AgentTokenInput): string {
  const now = Math.floor(input.nowMs / 1000);
  const p = input.permissions;
  const video: Record<string, unknown> = {
    roomJoin: true,
    ...(input.room ? { room: input.room } : {}),
    canPublish: p.canPublish,
    canSubscribe: p.canSubscribe,
    canPublishData: p.canPublishData,
    canUpdateOwnMetadata: p.canUpdateMetadata,
    ...(p.hidden ? { hidden: true } : {}),
    agent: true,
    canSubscribeMetrics: p.canSubscribeMetrics,
  };
  const claims: Record<string, unknown> = {
    iss: input.apiKey,
    ...(input.identity ? { sub: input.identity } : {}),
    exp: now + AGENT_TOKEN_TTL_SEC,
    nbf: now,
    iat: now,
    ...(input.identity ? { identity: input.identity } : {}),
    ...(input.name ? { name: input.name } : {}),
    kind: 'agent',
    video,
    ...(input.metadata ? { metadata: input.metadata } : {}),
    ...(Object.keys(input.attributes).length ? { attributes: input.attributes } : {}),
  };
  return signHs256(claims, input.apiSecret);
}
