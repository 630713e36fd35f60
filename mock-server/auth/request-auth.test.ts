import { describe, expect, it } from 'vitest';
import { AuthError } from '../core/errors.ts';
import { signHs256 } from './jwt.ts';
import { authenticateRequest } from './request-auth.ts';

const keys = new Map([['k1', 's1']]);
const T0 = 1_700_000_000;
const fail = (fn: () => unknown): { status: number; body: string } => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AuthError) return { status: e.status, body: e.body };
    throw e;
  }
  throw new Error('expected an AuthError');
};

describe('authenticateRequest (golang-jwt v5 time rules, 1 min leeway)', () => {
  it('exp: valid while now < exp + 60 s, expired from exp + 60 s on', () => {
    const t = signHs256({ iss: 'k1', exp: T0, video: { agent: true } }, 's1');
    expect(authenticateRequest({ authorization: `Bearer ${t}` }, keys, (T0 + 59) * 1000 + 999)?.apiKey).toBe('k1');
    expect(fail(() => authenticateRequest({ authorization: `Bearer ${t}` }, keys, (T0 + 60) * 1000))).toEqual({
      status: 401,
      body: `invalid token: ${t}, error: token has invalid claims: token is expired`,
    });
  });

  it('nbf: not valid yet while now < nbf - 60 s', () => {
    const t = signHs256({ iss: 'k1', nbf: T0, video: { agent: true } }, 's1');
    expect(fail(() => authenticateRequest({ accessToken: t }, keys, (T0 - 60) * 1000 - 1)).body).toMatch(/token is not valid yet$/);
    expect(authenticateRequest({ accessToken: t }, keys, (T0 - 60) * 1000)?.apiKey).toBe('k1');
  });

  it('no token → undefined (handlers deny later); identity from sub', () => {
    expect(authenticateRequest({}, keys, T0 * 1000)).toBeUndefined();
    const t = signHs256({ iss: 'k1', sub: 'alice', video: {} }, 's1');
    expect(authenticateRequest({ authorization: `Bearer ${t}` }, keys, T0 * 1000)?.identity).toBe('alice');
  });
});
