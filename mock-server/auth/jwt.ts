import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HS256 JWTs, verified with the same rules and error texts as golang-jwt v5 as livekit's protocol
 * configures it (HS256 only, issuer = API key, 1 minute leeway, `exp` optional in v1.13.5).
 */
export const JWT_LEEWAY_SEC = 60;

export class JwtError extends Error {}

function b64urlJson(part: string): Record<string, unknown> {
  const text = Buffer.from(part, 'base64url').toString('utf8');
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
  return value as Record<string, unknown>;
}

/** Reads a token's claims without checking the signature (ParseAPIToken). Throws JwtError if it is not a JWT. */
export function decodeUnverified(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('token is malformed: token contains an invalid number of segments');
  try {
    return { header: b64urlJson(parts[0] ?? ''), claims: b64urlJson(parts[1] ?? '') };
  } catch {
    throw new JwtError('token is malformed: could not JSON decode header or claims');
  }
}

/** Verifies signature and time claims; returns the error text golang-jwt would give, or undefined. */
export function verifyHs256(token: string, secret: string, nowSec: number): string | undefined {
  const { header, claims } = decodeUnverified(token);
  if (header.alg !== 'HS256') return `token signature is invalid: signing method ${String(header.alg)} is invalid`;
  const [h, p, sig = ''] = token.split('.'); // three parts: decodeUnverified checked
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'token signature is invalid: signature is invalid';
  }
  return checkTimeClaims(claims, nowSec);
}

/** The time part of verifyHs256 (exp, nbf with leeway), for a token whose signature was already verified. */
export function checkTimeClaims(claims: Record<string, unknown>, nowSec: number): string | undefined {
  // golang-jwt: valid while now < exp + leeway, so the token is expired from exp + leeway on (inclusive)
  if (typeof claims.exp === 'number' && nowSec >= claims.exp + JWT_LEEWAY_SEC) return 'token has invalid claims: token is expired';
  if (typeof claims.nbf === 'number' && nowSec + JWT_LEEWAY_SEC < claims.nbf) {
    return 'token has invalid claims: token is not valid yet';
  }
  return undefined;
}

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
  return `${h}.${p}.${sig}`;
}
