import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import type { ParticipantDriver } from './participant-driver.ts';
import { SignallingParticipants } from './signalling-participants.ts';

export const LOOPBACK_HOST = /^(127\.|localhost$|\[?::1\]?$)/;

let rtcNodeError: string | undefined | null = null;
let mediaUsed = false;

/** Whether @livekit/rtc-node (a native FFI module) loads in this process; loaded lazily, once. */
async function rtcNodeLoadError(): Promise<string | undefined> {
  if (rtcNodeError !== null) return rtcNodeError;
  rtcNodeError = await import('@livekit/rtc-node').then(
    () => undefined,
    (e: unknown) => (e as Error).message.split('\n')[0],
  );
  return rtcNodeError;
}

/**
 * Why media participants cannot publish on this target from this process, or undefined when they can.
 * libwebrtc gathers no loopback ICE candidates, so a server on 127.0.0.1 can never receive their media.
 */
export function mediaUnavailableReason(target: LiveKitTarget): Promise<string | undefined> {
  return mediaUnavailableOn(new URL(target.wsUrl).hostname);
}

/** mediaUnavailableReason for a server on `host`, before it is started. */
export async function mediaUnavailableOn(host: string): Promise<string | undefined> {
  if (LOOPBACK_HOST.test(host)) {
    return `publishing on a real server needs media, and the media participants (rtc-node) gather no loopback ICE candidates; the target is on ${host}: serve it on a non-loopback address (--host, e.g. inside a network namespace as test/differential/publish-diff.test.ts does)`;
  }
  const loadError = await rtcNodeLoadError();
  if (loadError) return `publishing on a real server needs media, and @livekit/rtc-node does not load here: ${loadError}`;
  return undefined;
}

/**
 * The client driver for a target without the mock's control API: media participants when the scenario
 * publishes and they can work here, the lighter signalling-only ones otherwise (they join and leave just the
 * same, without starting a WebRTC stack per participant).
 */
export async function clientParticipants(target: LiveKitTarget, publishes: boolean): Promise<ParticipantDriver> {
  if (publishes && !(await mediaUnavailableReason(target))) {
    return mediaParticipants(target);
  }
  return new SignallingParticipants(target);
}

/** Media participants for a target, loaded lazily (rtc-node is a native module that only publishing needs). */
export async function mediaParticipants(target: LiveKitTarget): Promise<ParticipantDriver> {
  const { MediaParticipants } = await import('./media-participants.ts');
  mediaUsed = true;
  return new MediaParticipants(target);
}

/**
 * Shuts rtc-node's native runtime down once a command is done with media participants: its FFI keeps the
 * event loop alive, so a CLI run that published would otherwise never exit. Only for a process's last act.
 */
export async function releaseMediaClients(): Promise<void> {
  if (!mediaUsed) return;
  mediaUsed = false;
  const { dispose } = await import('@livekit/rtc-node');
  await dispose();
}
