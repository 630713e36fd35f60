import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobType } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExplain } from '../../cli/explain-command.ts';
import { signHs256 } from '../../mock-server/auth/jwt.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';
import { ROOT, startServe, type ServeProcess } from './serve-process.ts';

/** Debian's Chromium (scripts/install-system-packages.sh installs it); no browser download. */
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const MISMATCH = 'no worker for agent "my-agent" with type JT_PARTICIPANT; registered: "my-agent" as JT_ROOM';

describe('the live inspector in Chromium', () => {
  let serve: ServeProcess;
  let context: BrowserContext;
  const workers: RawWorker[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'lab-inspector-'));

  const control = async (path: string, body: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const token = signHs256({ iss: 'devkey', sub: 'test', nbf: now - 10, exp: now + 600 }, 'secret');
    const res = await fetch(`${serve.httpUrl}/_lab/${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  const problemRow = (page: Page, text: string) => page.locator('#problems tbody tr', { hasText: text });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-system-packages.sh or set CHROMIUM_BIN`);
    serve = await startServe(['--record', join(dir, 'serve.jsonl')]);
    // library 09: a JT_ROOM worker, and a token dispatch whose participant job needs JT_PARTICIPANT
    for (const agentName of ['my-agent', '']) {
      const w = new RawWorker({ url: serve.wsUrl, apiKey: 'devkey', apiSecret: 'secret', agentName, jobType: JobType.JT_ROOM });
      workers.push(w);
      await w.connect();
      await w.register();
    }
    await control('rooms/m1/participants', { identity: 'alice', roomAgents: [{ agentName: 'my-agent' }] });
    await control('rooms/plain/participants', { identity: 'bob' }); // default dispatch: its JT_PARTICIPANT job nobody wanted
    await new RoomServiceClient(serve.httpUrl, 'devkey', 'secret').createRoom({ name: 'waiting', emptyTimeout: 600 });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1500, height: 1100 },
      acceptDownloads: true,
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    for (const w of workers) await w.close().catch(() => undefined);
    await serve?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('the one-time link signs in; the mismatch drop is first, with its reason; updates arrive live', async () => {
    const page = await context.newPage();
    await page.goto(serve.link);
    const row = problemRow(page, MISMATCH);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-outcome')).toBe('dropped');
    expect(await row.textContent()).toContain('JT_PARTICIPANT');
    expect(await row.textContent()).toContain('alice');
    expect(page.url()).not.toContain('once='); // the code leaves the address bar
    // the drop nobody could have wanted (agent "" JT_PARTICIPANT while only JT_ROOM workers exist) is not among them
    await eventually(async () => ((await page.locator('#unwanted-count').textContent()) === '1' ? '' : `unwanted: ${await page.locator('#unwanted-count').textContent()}`));
    expect(await page.locator('#problems tbody tr').count()).toBe(1);
    // workers, rooms (participants, dispatches, timers), jobs and the diagram
    await expect.poll(() => page.locator('#workers tbody tr').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('#workers').textContent()).toContain('"my-agent"');
    const m1 = page.locator('.room[data-room="m1"]');
    expect(await m1.textContent()).toContain('alice');
    expect(await m1.textContent()).toContain('agent "my-agent"');
    await eventually(async () => (/empty timeout \(600 s\): closes in 9:\d\d/.test((await page.locator('[data-timer="waiting"]').textContent()) ?? '') ? '' : 'no countdown'), { timeoutMs: 10_000 });
    expect(await page.locator('#jobs tbody tr').count()).toBeGreaterThanOrEqual(3);
    await page.locator('#diagram svg').waitFor({ timeout: 10_000 });
    expect(await page.locator('#diagram').textContent()).toContain('DROPPED');

    // live: a second participant's job appears without a reload
    await control('rooms/m1/participants', { identity: 'carol' });
    await expect.poll(() => problemRow(page, MISMATCH).count(), { timeout: 15_000 }).toBe(2);
    expect(await problemRow(page, 'carol').count()).toBe(1);

    // filters: by room
    await page.selectOption('#f-room', 'plain');
    await expect.poll(() => page.locator('#problems tbody tr').count()).toBe(0);
    expect(await page.locator('.room').count()).toBe(1);
    await page.selectOption('#f-room', '');
    await expect.poll(() => page.locator('#problems tbody tr').count()).toBe(2);

    // download the trace
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const saved = join(dir, 'downloaded.jsonl');
    await download.saveAs(saved);
    const lines = readFileSync(saved, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines.some((e) => e.kind === 'job.ended' && String(e.reason).startsWith(MISMATCH)), JSON.stringify(lines.filter((e) => e.kind === 'job.ended'))).toBe(true);

    const shot = join(dir, 'inspector.png');
    await page.locator('#problems-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.UPDATE_INSPECTOR_SCREENSHOT) {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      copyFileSync(shot, join(ROOT, 'docs', 'inspector.png'));
    }
    await page.close();
  }, 120_000);

  it('a used link is refused; sign-in with key and secret (signed in the page) works, a wrong secret does not', async () => {
    const page = await context.newPage(); // a new tab: its own sessionStorage, no token
    await page.goto(serve.link);
    await page.locator('#signin').waitFor({ state: 'visible' });
    expect(await page.locator('#signin-msg').textContent()).toContain('already used');
    await page.fill('#api-key', 'devkey');
    await page.fill('#api-secret', 'not-the-secret');
    await page.click('#signin button[type=submit]');
    await eventually(async () => ((await page.locator('#signin-msg').textContent())?.includes('refused the token') ? '' : `msg: ${await page.locator('#signin-msg').textContent()}`));
    await page.fill('#api-secret', 'secret');
    await page.click('#signin button[type=submit]');
    await problemRow(page, MISMATCH).first().waitFor({ timeout: 20_000 });
    expect(await page.locator('#signin').isVisible()).toBe(false);
    await page.close();
  }, 60_000);

  it('the page and its data: the page needs no token, the data does', async () => {
    expect((await fetch(`${serve.httpUrl}/_lab/`)).status).toBe(200);
    expect((await fetch(`${serve.httpUrl}/_lab/inspector.js`)).headers.get('content-type')).toContain('javascript');
    for (const p of ['state', 'stream', 'diagram.svg', 'events']) expect((await fetch(`${serve.httpUrl}/_lab/${p}`)).status, p).toBe(401);
  });

  it('explain --url on the running server and the log lines serve printed', async () => {
    let out = '';
    expect(await runExplain(['--url', serve.httpUrl], (s) => void (out += s))).toBe(0);
    expect(out).toContain(`for alice: never offered → DROPPED: ${MISMATCH}`);
    const warns = serve.out().split('\n').filter((l) => l.includes('WARN'));
    expect(warns.some((l) => l.includes(MISMATCH))).toBe(true);
    expect(warns.filter((l) => l.includes('agent ""'))).toEqual([]);
    // the recording holds the same drop
    let rec = '';
    await runExplain(['--events', join(dir, 'serve.jsonl')], (s) => void (rec += s));
    await eventually(async () => {
      rec = '';
      await runExplain(['--events', join(dir, 'serve.jsonl')], (s) => void (rec += s));
      return rec.includes(MISMATCH) ? '' : `recording: ${rec}`;
    });
  }, 60_000);
});
