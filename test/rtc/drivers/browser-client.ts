// livekit-client (the JS SDK) in headless Chromium, and an rtc-node client, in one room: on the mock and on
// livekit-server v1.13.5 inside the test namespace, with the SDK's default /rtc/v1 (one PeerConnection) and with
// /rtc (v0: the server-offered subscriber PeerConnection); then the browser's signalling is reset and it resumes. The browser publishes Chromium's fake microphone and data;
// the rtc-node client publishes a tone and data. Each side reports what it got; test/rtc/browser-client.test.ts
// compares the two servers.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { AudioStream, RoomEvent, type RemoteTrack } from '@livekit/rtc-node';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { FaultProxy } from '../../../targets/fault-proxy.ts';
import type { LiveKitTarget } from '../../../targets/livekit-target.ts';
import { connectClient, onMockAndReal, runDriver, serverAddress, userToken, type ServerRef } from './driver-kit.ts';
import { publishSine } from './sine-source.ts';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
/** v1: the SDK's default single PeerConnection on /rtc/v1; v0: /rtc with the subscriber PeerConnection. */
type SignalMode = 'v1' | 'v0';

export interface BrowserClientView {
  /** What the browser (livekit-client) got. */
  browser: { subscribed: string[]; heardNode: boolean; data: string[]; events: string[]; error?: string };
  /** What the rtc-node client got from the browser. */
  /** sawBrowserLeave: before the browser closes, i.e. through the resume. */
  node: { subscribedTo: string[]; heardBrowser: boolean; data: string[]; sawBrowserLeave: boolean };
  /** After the browser's signalling was reset: its publication kept its SID and the tone kept coming. */
  resumed: { publicationKept: boolean; heardNodeAfter: boolean };
}

interface PageState {
  connected: boolean;
  error?: string;
  subscribed: string[];
  audioPacketsReceived: number;
  data: string[];
  events: string[];
  published?: string;
  send?: (text: string) => Promise<void>;
}

async function servePage(): Promise<{ server: Server; url: string }> {
  const bundle = await build({ entryPoints: [new URL('./browser/page.ts', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  const js = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === '/page.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>lab</title><script type="module" src="/page.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

async function observe(target: LiveKitTarget, browser: Browser, pageUrl: string, mode: SignalMode): Promise<BrowserClientView> {
  const server: ServerRef = { url: target.wsUrl, apiKey: target.apiKey, apiSecret: target.apiSecret };
  const room = `web-${mode}`;
  const node = await connectClient(server, await userToken(server, 'node', room));
  // the browser's signalling goes through a TCP fault proxy, so it can be cut without a leave
  const upstream = new URL(target.httpUrl);
  const proxy = await FaultProxy.start({ host: serverAddress(), upstreamHost: upstream.hostname, upstreamPort: Number(upstream.port) });
  const nodeData: string[] = [];
  const subscribedTo: string[] = [];
  let framesFromBrowser = 0;
  node.room.on(RoomEvent.DataReceived, (payload, p) => nodeData.push(`${p?.identity ?? 'server'}:${new TextDecoder().decode(payload)}`));
  node.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub, p) => {
    subscribedTo.push(`${p.identity}:${pub.kind === 1 ? 'audio' : 'video'}`);
    void (async () => {
      for await (const frame of new AudioStream(track, 48_000, 1)) if (frame.data.some((s) => s !== 0)) framesFromBrowser++;
    })().catch(() => undefined);
  });
  const tone = await publishSine(node.room.localParticipant!);

  const context = await browser.newContext();
  const page = await context.newPage();
  const token = await userToken(server, 'browser', room);
  await page.goto(`${pageUrl}#${new URLSearchParams({ url: proxy.wsUrl, token, mode })}`);
  const state = () => page.evaluate(() => (globalThis as unknown as { lab?: PageState }).lab) as Promise<PageState | undefined>;
  let last: PageState | undefined;
  const pageSays = async (ok: (s: PageState) => boolean) => {
    last = await state();
    if (last?.error) throw new Error(`the page failed: ${last.error}`);
    return !!last && ok(last);
  };
  await waitFor(() => pageSays((s) => s.connected), { reason: 'the browser to connect', timeoutMs: 20_000 });
  await node.room.localParticipant!.publishData(new TextEncoder().encode('hello from node'), { reliable: true });
  await waitFor(() => pageSays((s) => s.audioPacketsReceived >= 100 && s.data.length > 0), { reason: 'the browser to hear the tone and get data', timeoutMs: 20_000 }).catch(() => undefined);
  await waitFor(() => framesFromBrowser >= 50 && nodeData.length > 0, { reason: "node to hear the browser's microphone and get its data", timeoutMs: 20_000 }).catch(() => undefined);
  const before = { ...last! };
  const sidBefore = node.room.remoteParticipants.get('browser')?.trackPublications.values().next().value?.sid;

  // a signal blip: the proxy resets the browser's socket; livekit-client resumes
  proxy.add({ name: 'cut', type: 'reset' });
  await waitFor(() => pageSays((s) => s.events.includes('reconnected')), { reason: 'the browser to resume', timeoutMs: 30_000 }).catch(() => undefined);
  const packetsAtResume = last?.audioPacketsReceived ?? 0;
  await node.room.localParticipant!.publishData(new TextEncoder().encode('after the resume'), { reliable: true });
  await page.evaluate(() => (globalThis as unknown as { lab: PageState }).lab.send?.('browser after the resume'));
  await waitFor(() => pageSays((s) => s.data.length > 1 && s.audioPacketsReceived >= packetsAtResume + 100), { reason: 'data and the tone after the resume', timeoutMs: 15_000 }).catch(() => undefined);
  await waitFor(() => nodeData.length > 1, { reason: "node to get the browser's data after the resume", timeoutMs: 10_000 }).catch(() => undefined);
  const sidAfter = node.room.remoteParticipants.get('browser')?.trackPublications.values().next().value?.sid;
  const sawBrowserLeave = node.events.includes('disconnected:browser');
  await tone.stop();
  await context.close();
  await node.room.disconnect();
  await proxy.close();
  return {
    browser: { subscribed: before.subscribed, heardNode: before.audioPacketsReceived >= 100, data: last?.data ?? [], events: last?.events ?? [], error: last?.error },
    node: { subscribedTo, heardBrowser: framesFromBrowser >= 50, data: nodeData, sawBrowserLeave },
    resumed: { publicationKept: !!sidBefore && sidBefore === sidAfter, heardNodeAfter: (last?.audioPacketsReceived ?? 0) >= packetsAtResume + 100 },
  };
}

runDriver(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-system-packages.sh or set CHROMIUM_BIN`);
  const page = await servePage();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // a fake microphone (a beep) without a prompt; host candidates as addresses, not mDNS names
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    return await onMockAndReal(async (target) => ({ v1: await observe(target, browser, page.url, 'v1'), v0: await observe(target, browser, page.url, 'v0') }));
  } finally {
    await browser.close();
    page.server.close();
  }
});
