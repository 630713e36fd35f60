import { signHs256 } from '../mock-server/auth/jwt.ts';
import type { VideoGrant } from '../mock-server/auth/claims.ts';

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

/** A token with exactly the claims given (HS256), valid for an hour unless the claims say otherwise. */
export function token(creds: Credentials, video: VideoGrant, extra: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ iss: creds.apiKey, sub: 'fuzz-client', nbf: now - 5, exp: now + 3600, video, ...extra }, creds.apiSecret);
}

export const workerToken = (creds: Credentials) => token(creds, { agent: true });

/** Every RoomService/AgentDispatchService permission, for the room given. */
export const adminToken = (creds: Credentials, room: string) =>
  token(creds, { roomCreate: true, roomList: true, roomAdmin: true, roomRecord: true, room });
