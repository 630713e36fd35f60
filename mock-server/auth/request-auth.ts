import { AuthError } from '../core/errors.ts';
import type { ApiKeys } from './api-keys.ts';
import type { AuthContext, ClaimGrants } from './claims.ts';
import { decodeUnverified, JwtError, verifyHs256 } from './jwt.ts';

export interface RequestCredentials {
  authorization?: string;
  /** The `access_token` query parameter, read only when there is no Authorization header. */
  accessToken?: string | null;
}

/**
 * livekit-server's APIKeyAuthMiddleware: runs before every handler. Returns undefined when the request
 * carries no token (handlers then deny with their own error), the auth context when it verifies, and
 * throws AuthError (401, plain text, v1.13.5 wording) otherwise.
 */
export function authenticateRequest(creds: RequestCredentials, keys: ApiKeys, nowMs: number): AuthContext | undefined {
  let token: string | undefined;
  if (creds.authorization) {
    if (!creds.authorization.startsWith('Bearer ')) {
      throw new AuthError(401, 'invalid authorization header. Must start with Bearer ');
    }
    token = creds.authorization.slice('Bearer '.length);
  } else {
    token = creds.accessToken ?? undefined;
  }
  if (!token) return undefined;

  let claims: Record<string, unknown>;
  try {
    claims = decodeUnverified(token).claims;
  } catch (e) {
    if (e instanceof JwtError) throw new AuthError(401, 'invalid authorization token');
    throw e;
  }
  const apiKey = typeof claims.iss === 'string' ? claims.iss : '';
  const secret = keys.get(apiKey);
  if (!secret) throw new AuthError(401, `invalid API key: ${apiKey}`);
  const failure = verifyHs256(token, secret, Math.floor(nowMs / 1000));
  if (failure) throw new AuthError(401, `invalid token: ${token}, error: ${failure}`);

  const grants = claims as unknown as ClaimGrants;
  const identity = typeof grants.sub === 'string' && grants.sub ? grants.sub : (grants.jti ?? '');
  return { apiKey, apiSecret: secret, grants, identity };
}
