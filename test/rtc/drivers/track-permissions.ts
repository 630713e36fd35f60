// Subscription permissions, on the mock and on livekit-server v1.13.5 in the same namespace: a Python publisher
// (set_track_subscription_permissions) allows only bob, then everyone again; bob and carol (rtc-node, auto-subscribe)
// report their subscription events and whether the tone reaches them in each phase.
// test/rtc/track-permissions.test.ts compares the two observations.
import { fileURLToPath } from 'node:url';
import { AudioStream, RoomEvent, type RemoteTrack } from '@livekit/rtc-node';
import { venvPython } from '../../../agent-runtime/index.ts';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import type { LiveKitTarget } from '../../../targets/livekit-target.ts';
import { connectClient, onMockAndReal, runDriver, userToken, type ObservedRoom, type ServerRef } from './driver-kit.ts';
import { startLineReporter } from './line-reporter.ts';

const PUBLISHER = fileURLToPath(new URL('./python_permission_publisher.py', import.meta.url));

export interface TrackPermissionsView {
  /** Per subscriber: its events (`subscribed`, `unsubscribed`, `failed`) in order, and the tone heard in each phase. */
  bob: { events: string[]; heard: { open: boolean; restricted: boolean; reopened: boolean } };
  carol: { events: string[]; heard: { open: boolean; restricted: boolean; reopened: boolean } };
}

interface Subscriber {
  events: string[];
  frames: number;
}

function watch(client: ObservedRoom): Subscriber {
  const s: Subscriber = { events: [], frames: 0 };
  client.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    s.events.push('subscribed');
    void (async () => {
      for await (const frame of new AudioStream(track, 48_000, 1)) if (frame.data.some((v) => v !== 0)) s.frames++;
    })().catch(() => undefined);
  });
  client.room.on(RoomEvent.TrackUnsubscribed, () => s.events.push('unsubscribed'));
  client.room.on(RoomEvent.TrackSubscriptionFailed, () => s.events.push('failed'));
  return s;
}

/** Whether a subscriber hears 50 more frames within the window (a denied one hears none). */
async function hears(s: Subscriber, timeoutMs: number): Promise<boolean> {
  const mark = s.frames;
  return waitFor(() => s.frames >= mark + 50, { reason: 'the tone', timeoutMs }).then(
    () => true,
    () => false,
  );
}

async function observe(target: LiveKitTarget): Promise<TrackPermissionsView> {
  const server: ServerRef = { url: target.wsUrl, apiKey: target.apiKey, apiSecret: target.apiSecret };
  const bob = watch(await connectClient(server, await userToken(server, 'bob', 'perm')));
  const carolClient = await connectClient(server, await userToken(server, 'carol', 'perm'));
  const carol = watch(carolClient);
  const py = startLineReporter<{ step: string }>(venvPython(), [PUBLISHER, server.url, await userToken(server, 'alice', 'perm')], '@@py ');
  const said = (step: string, n = 1) => waitFor(() => py.lines.filter((l) => l.step === step).length >= n, { reason: `the publisher's ${step}`, timeoutMs: 20_000 });
  try {
    await said('published');
    const open = { bob: await hears(bob, 15_000), carol: await hears(carol, 5_000) };
    py.child.stdin.write('only bob\n');
    await said('permissions');
    await waitFor(() => carol.events.length > 1, { reason: 'carol to lose the track', timeoutMs: 5_000 }).catch(() => undefined);
    const restricted = { bob: await hears(bob, 5_000), carol: await hears(carol, 3_000) };
    py.child.stdin.write('all\n');
    await said('permissions', 2);
    const reopened = { bob: await hears(bob, 5_000), carol: await hears(carol, 10_000) };
    return {
      bob: { events: [...bob.events], heard: { open: open.bob, restricted: restricted.bob, reopened: reopened.bob } },
      carol: { events: [...carol.events], heard: { open: open.carol, restricted: restricted.carol, reopened: reopened.carol } },
    };
  } finally {
    await py.stop('the Python publisher');
    await carolClient.room.disconnect();
  }
}

runDriver(() => onMockAndReal(observe));
