// Forwarded video under packet loss, on the mock and then on livekit-server v1.13.5: the clients (lossy-video-client.ts)
// run in a namespace of their own, so the loss hits only the client<->server leg. test/rtc/video-loss.test.ts compares.
import { runInClientNamespace } from './client-namespace.ts';
import { driverPhase, onMockAndReal, runDriver, userToken } from './driver-kit.ts';
import type { LossyVideoWindow } from './lossy-video-client.ts';

const VIDEO_LOSS = 0.05;

runDriver(() =>
  onMockAndReal(async (target): Promise<LossyVideoWindow> => {
    driverPhase(`clients on ${target.kind}`);
    const server = { url: target.wsUrl, apiKey: target.apiKey, apiSecret: target.apiSecret };
    return (await runInClientNamespace(new URL('./lossy-video-client.ts', import.meta.url), {
      LOSSY_URL: target.wsUrl,
      LOSSY_PUBLISHER_TOKEN: await userToken(server, 'publisher', 'lossy'),
      LOSSY_SUBSCRIBER_TOKEN: await userToken(server, 'subscriber', 'lossy'),
      LOSSY_LOSS: String(VIDEO_LOSS),
      LOSSY_WINDOW_MS: '8000',
    })) as LossyVideoWindow;
  }),
);
