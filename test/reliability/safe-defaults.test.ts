import { spawn, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobType } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../mock-server/index.ts';
import { signHs256 } from '../../mock-server/auth/jwt.ts';
import { token } from '../../fuzz/tokens.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECRET = 'lab-secret-4f9c2a7e1b6d8e3f0a5c9b2d7e4f1a8c';
const KEY = 'labkey';

const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  for (const child of children.splice(0)) {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      await eventually(() => (child.exitCode !== null || child.signalCode !== null ? '' : 'CLI still running'), { timeoutMs: 10_000 }).catch(() => process.kill(-child.pid!, 'SIGKILL'));
    }
  }
}, 30_000);

/** `dispatch-lab serve` in its own process group, with everything it prints captured. */
async function serve(args: string[]): Promise<{ out: () => string; httpUrl: string; wsUrl: string }> {
  const chunks: string[] = [];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'dispatch-lab.js'), 'serve', '--port', '0', '--timing', 'fast', ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout!.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => chunks.push(c.toString()));
  const out = () => chunks.join('');
  let ws = '';
  await eventually(() => {
    ws = /ready at (ws:\/\/\S+)/.exec(out())?.[1] ?? '';
    if (child.exitCode !== null) throw new Error(`serve exited: ${out()}`);
    return ws ? '' : 'no ready line yet';
  }, { timeoutMs: 30_000 });
  return { out, wsUrl: ws, httpUrl: ws.replace('ws://', 'http://') };
}

describe('safe defaults', () => {
  it('binds 127.0.0.1 unless told otherwise, and says so when bound wider', async () => {
    const s = await startMockServer({ port: 0, timing: 'fast' });
    cleanups.push(() => s.close());
    expect(s.host).toBe('127.0.0.1');
    const other = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (other) await expect(fetch(`http://${other}:${s.port}/`, { signal: AbortSignal.timeout(3_000) })).rejects.toThrow();

    const cli = await serve([]);
    expect(cli.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.out()).not.toContain('NOTE: bound to');
    const wide = await serve(['--host', '0.0.0.0']);
    expect(wide.out()).toContain('NOTE: bound to 0.0.0.0, reachable from other machines');
  }, 60_000);

  it('never prints or traces the API secret or a full token (assignments, refused tokens, the events stream)', async () => {
    const cli = await serve(['--keys', `${KEY}:${SECRET}`, '--events']);
    const creds = { apiKey: KEY, apiSecret: SECRET };
    const w = new RawWorker({ url: cli.wsUrl, apiKey: KEY, apiSecret: SECRET, agentName: 'sd', jobType: JobType.JT_ROOM });
    cleanups.push(() => w.close());
    await w.connect();
    await w.register();
    await new RoomServiceClient(cli.httpUrl, KEY, SECRET).createRoom({ name: 'safe-room', agents: [{ agentName: 'sd' }] as never });
    await eventually(() => (w.of('assignment').length ? '' : 'no assignment'), { timeoutMs: 10_000 });
    const assignmentToken = w.of('assignment')[0].token;
    expect(assignmentToken.split('.')).toHaveLength(3);

    // tokens the server refuses: bad signature, expired, wrong key
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      signHs256({ iss: KEY, sub: 'x', exp: now + 60, video: { roomList: true } }, 'not-the-secret'),
      signHs256({ iss: KEY, sub: 'x', exp: now - 3600, video: { roomList: true } }, SECRET),
      signHs256({ iss: 'otherkey', sub: 'x', exp: now + 60, video: { roomList: true } }, SECRET),
    ];
    for (const t of refused) {
      const res = await fetch(`${cli.httpUrl}/twirp/livekit.RoomService/ListRooms`, { method: 'POST', headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(401); // the body echoes the token, as livekit-server's does: that is the client's own token, not a log
      await res.text();
    }
    const accepted = token(creds, { roomList: true });
    const events = await (await fetch(`${cli.httpUrl}/_lab/events`, { headers: { Authorization: `Bearer ${accepted}` } })).text();
    expect(events).toContain('"assignment"');

    await w.close();
    await eventually(() => (cli.out().includes('worker.closed') ? '' : 'worker.closed not printed yet'));
    const printed = cli.out();
    for (const [name, haystack] of [['CLI output', printed], ['events stream', events]] as const) {
      expect(haystack.includes(SECRET), `${name} contains the API secret`).toBe(false);
      for (const t of [assignmentToken, accepted, ...refused]) expect(haystack.includes(t), `${name} contains a full token`).toBe(false);
      // no JWT-shaped string at all
      expect(haystack.match(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/g) ?? [], name).toEqual([]);
    }
    expect(events).toContain('redacted');
  }, 60_000);

  it('the control API needs a valid token like every other endpoint', async () => {
    const s = await startMockServer({ port: 0, timing: 'fast', keys: new Map([[KEY, SECRET]]) });
    cleanups.push(() => s.close());
    const get = (auth?: string) => fetch(`${s.httpUrl}/_lab/events`, { headers: auth ? { Authorization: auth } : {} }).then(async (r) => ({ status: r.status, body: await r.text() }));
    expect((await get()).status).toBe(401);
    expect((await get('Bearer nonsense')).status).toBe(401);
    expect((await get(`Bearer ${signHs256({ iss: KEY, sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 }, 'wrong')}`)).status).toBe(401);
    expect((await get(`Bearer ${token({ apiKey: KEY, apiSecret: SECRET }, {})}`)).status).toBe(200);
    for (const [method, path] of [['POST', 'restart'], ['POST', 'reset'], ['DELETE', 'faults'], ['POST', 'rooms/r/participants']]) {
      const res = await fetch(`${s.httpUrl}/_lab/${path}`, { method, body: '{}' });
      expect(res.status, `${method} /_lab/${path}`).toBe(401);
    }
  });
});
