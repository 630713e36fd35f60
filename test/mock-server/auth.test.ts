import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RawWorker } from '../support/raw-worker.ts';
import { upgradeStatus } from '../support/upgrade.ts';
import { signClaims, startLab, type Lab } from '../support/harness.ts';

/** Opens /agent and reports either the refused status + body, or 101. */
const upgrade = (url: string, headers: Record<string, string> = {}, query = '') => upgradeStatus(`${url}/agent${query}`, headers);

describe('/agent auth matrix (APIKeyAuthMiddleware, v1.13.5 wording)', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab({ keys: new Map([['k1', 's1'], ['k2', 's2']]) });
  });
  afterEach(() => lab.close());

  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a Bearer token with video.agent signed by any configured key', async () => {
    for (const [k, s] of [['k1', 's1'], ['k2', 's2']]) {
      const t = await RawWorker.workerToken(k, s);
      expect(await upgrade(lab.server.url, { Authorization: `Bearer ${t}` })).toEqual({ status: 101, body: '' });
    }
  });

  it('accepts the access_token query parameter', async () => {
    const t = await RawWorker.workerToken('k1', 's1');
    expect((await upgrade(lab.server.url, {}, `?access_token=${t}`)).status).toBe(101);
  });

  it('no token: 401 "no permissions to access the room"', async () => {
    expect(await upgrade(lab.server.url)).toEqual({ status: 401, body: 'no permissions to access the room' });
  });

  it('malformed token: 401 "invalid authorization token"', async () => {
    expect(await upgrade(lab.server.url, { Authorization: 'Bearer not-a-jwt' })).toEqual({ status: 401, body: 'invalid authorization token' });
  });

  it('unknown key: 401 "invalid API key: <key>"', async () => {
    const t = await RawWorker.workerToken('nope', 's1');
    expect(await upgrade(lab.server.url, { Authorization: `Bearer ${t}` })).toEqual({ status: 401, body: 'invalid API key: nope' });
  });

  it('bad signature: 401 "invalid token: <jwt>, error: token signature is invalid: signature is invalid"', async () => {
    const t = await RawWorker.workerToken('k1', 'wrong-secret');
    expect(await upgrade(lab.server.url, { Authorization: `Bearer ${t}` })).toEqual({
      status: 401,
      body: `invalid token: ${t}, error: token signature is invalid: signature is invalid`,
    });
  });

  it('another key\'s secret is a bad signature too', async () => {
    const t = await RawWorker.workerToken('k1', 's2');
    const r = await upgrade(lab.server.url, { Authorization: `Bearer ${t}` });
    expect(r.status).toBe(401);
    expect(r.body).toMatch(/error: token signature is invalid: signature is invalid$/);
  });

  it('expired beyond the 1 min leeway: 401 "token is expired"; within the leeway: accepted', async () => {
    const expired = await signClaims({ iss: 'k1', exp: now() - 120, video: { agent: true } }, 's1');
    expect(await upgrade(lab.server.url, { Authorization: `Bearer ${expired}` })).toEqual({
      status: 401,
      body: `invalid token: ${expired}, error: token has invalid claims: token is expired`,
    });
    const lenient = await signClaims({ iss: 'k1', exp: now() - 20, video: { agent: true } }, 's1');
    expect((await upgrade(lab.server.url, { Authorization: `Bearer ${lenient}` })).status).toBe(101);
  });

  it('not yet valid beyond the leeway: 401 "token is not valid yet"', async () => {
    const t = await signClaims({ iss: 'k1', nbf: now() + 600, exp: now() + 1200, video: { agent: true } }, 's1');
    expect(await upgrade(lab.server.url, { Authorization: `Bearer ${t}` })).toEqual({
      status: 401,
      body: `invalid token: ${t}, error: token has invalid claims: token is not valid yet`,
    });
  });

  it('v1.13.5 does not require exp', async () => {
    const t = await signClaims({ iss: 'k1', video: { agent: true } }, 's1');
    expect((await upgrade(lab.server.url, { Authorization: `Bearer ${t}` })).status).toBe(101);
  });

  it('a signing method other than HS256 is a signature error', async () => {
    const t = await signClaims({ iss: 'k1', video: { agent: true } }, 's1', 'HS512');
    const r = await upgrade(lab.server.url, { Authorization: `Bearer ${t}` });
    expect(r).toEqual({ status: 401, body: `invalid token: ${t}, error: token signature is invalid: signing method HS512 is invalid` });
  });

  it('missing video.agent (other grants, video without agent, no video): 401 "no permissions to access the room"', async () => {
    for (const claims of [
      { iss: 'k1', video: { roomAdmin: true, room: 'r' } },
      { iss: 'k1', video: { agent: false } },
      { iss: 'k1', sub: 'x' },
    ]) {
      const t = await signClaims({ ...claims, exp: now() + 600 }, 's1');
      expect(await upgrade(lab.server.url, { Authorization: `Bearer ${t}` })).toEqual({ status: 401, body: 'no permissions to access the room' });
    }
  });

  it('Authorization without the Bearer prefix: 401, even with a valid access_token', async () => {
    const t = await RawWorker.workerToken('k1', 's1');
    const expected = { status: 401, body: 'invalid authorization header. Must start with Bearer ' };
    expect(await upgrade(lab.server.url, { Authorization: t })).toEqual(expected);
    expect(await upgrade(lab.server.url, { Authorization: `Basic ${t}` }, `?access_token=${t}`)).toEqual(expected);
  });

  it('the Authorization header wins over access_token', async () => {
    const good = await RawWorker.workerToken('k1', 's1');
    const bad = await RawWorker.workerToken('k1', 'bad');
    expect((await upgrade(lab.server.url, { Authorization: `Bearer ${good}` }, `?access_token=${bad}`)).status).toBe(101);
    expect((await upgrade(lab.server.url, { Authorization: `Bearer ${bad}` }, `?access_token=${good}`)).status).toBe(401);
  });

  it('the auth middleware answers plain HTTP requests the same way', async () => {
    const r = await fetch(`${lab.server.httpUrl}/`, { headers: { Authorization: 'Token abc' } });
    expect(r.status).toBe(401);
    expect(await r.text()).toBe('invalid authorization header. Must start with Bearer ');
  });
});

describe('HTTP routes', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
  });
  afterEach(() => lab.close());

  it('GET / answers 200 OK', async () => {
    const r = await fetch(`${lab.server.httpUrl}/`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('OK');
  });

  it('a non-WebSocket GET /agent is 404 with an empty body, with or without a token', async () => {
    const t = await RawWorker.workerToken(lab.server.apiKey, lab.server.apiSecret);
    for (const headers of [{}, { Authorization: `Bearer ${t}` }] as Record<string, string>[]) {
      const r = await fetch(`${lab.server.httpUrl}/agent`, { headers });
      expect(r.status).toBe(404);
      expect(await r.text()).toBe('');
    }
  });

  it('other paths are 404 (http.NotFound), including /agent/ and /agents', async () => {
    for (const p of ['/nope', '/agent/', '/agents', '/twirp']) {
      const r = await fetch(`${lab.server.httpUrl}${p}`);
      expect(r.status, p).toBe(404);
      expect(await r.text(), p).toBe('404 page not found\n');
    }
  });

  it('a WebSocket upgrade on another path is 404', async () => {
    const t = await RawWorker.workerToken(lab.server.apiKey, lab.server.apiSecret);
    const r = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${lab.server.url}/agent/`, { headers: { Authorization: `Bearer ${t}` } });
      ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(r).toBe(404);
  });

  it('a leading double slash collapses (RemoveDoubleSlashes)', async () => {
    const t = await RawWorker.workerToken(lab.server.apiKey, lab.server.apiSecret);
    const w = new RawWorker({ url: `${lab.server.url}/`, apiKey: lab.server.apiKey, apiSecret: lab.server.apiSecret });
    await w.connect(t);
    await w.register();
    expect(w.workerId).toMatch(/^AW_/);
    await w.close();
  });
});
