// Helpers for scripts that run inside the test network namespace (see test/support/netns.ts).
import { Room, RoomEvent, type RoomOptions } from '@livekit/rtc-node';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';
import { startMockServer, type MockServerOptions, type StartedMockServer } from '../../../mock-server/index.ts';
import { startLiveKitServer } from '../../../targets/livekit-binary.ts';
import type { LiveKitTarget } from '../../../targets/livekit-target.ts';
import { RESULT_MARK } from '../../support/netns.ts';

export const serverAddress = (): string => {
  const a = process.env.LAB_NETNS_SERVER;
  if (!a) throw new Error('this script runs inside the test network namespace (test/support/netns.ts runInNetns)');
  return a;
};

export function startLabServer(options: MockServerOptions = {}): Promise<StartedMockServer> {
  return startMockServer({ host: serverAddress(), port: 0, timing: 'fast', ...options });
}

/** What a client needs of a server: the mock, or a real one (`{ url: target.wsUrl, apiKey, apiSecret }`). */
export type ServerRef = Pick<StartedMockServer, 'url' | 'apiKey' | 'apiSecret'>;

export async function userToken(
  server: ServerRef,
  identity: string,
  room: string,
  extra: { attributes?: Record<string, string>; name?: string; grant?: VideoGrant; kind?: string } = {},
): Promise<string> {
  const at = new AccessToken(server.apiKey, server.apiSecret, { identity, name: extra.name, attributes: extra.attributes });
  at.addGrant({ roomJoin: true, room, canUpdateOwnMetadata: true, ...extra.grant });
  if (extra.kind) (at as unknown as { kind: string }).kind = extra.kind;
  return at.toJwt();
}

export interface ObservedRoom {
  room: Room;
  events: string[];
  connectMs: number;
}

/** Connects a real rtc-node client and records its room events as short strings. */
export async function connectClient(server: ServerRef, token: string, options: Partial<RoomOptions> = {}): Promise<ObservedRoom> {
  const room = new Room();
  const events: string[] = [];
  room.on(RoomEvent.ParticipantConnected, (p) => events.push(`connected:${p.identity}:${JSON.stringify(p.attributes)}`));
  room.on(RoomEvent.ParticipantDisconnected, (p) => events.push(`disconnected:${p.identity}`));
  room.on(RoomEvent.ParticipantAttributesChanged, (changed, p) => events.push(`attributes:${p.identity}:${JSON.stringify(changed)}`));
  room.on(RoomEvent.RoomMetadataChanged, (m) => events.push(`room_metadata:${m}`));
  room.on(RoomEvent.Disconnected, (reason) => events.push(`room_disconnected:${reason}`));
  const started = performance.now();
  await room.connect(server.url, token, { ...options, autoSubscribe: options.autoSubscribe ?? true, dynacast: options.dynacast ?? false });
  return { room, events, connectMs: performance.now() - started };
}

/**
 * The same observation on the mock (real timing) and then on livekit-server v1.13.5, each on the namespace
 * address and disposed after: what a differential driver reports for its test to compare.
 */
export async function onMockAndReal<V>(observe: (target: LiveKitTarget) => Promise<V>): Promise<Record<'mock' | 'real', V>> {
  const host = serverAddress();
  const starts = { mock: () => startMockServer({ host, port: 0, timing: 'real', seed: 1 }), real: () => startLiveKitServer({ bindAddress: host, nodeIp: host }) };
  const views: Partial<Record<'mock' | 'real', V>> = {};
  for (const name of ['mock', 'real'] as const) {
    const target: LiveKitTarget = await starts[name]();
    try {
      views[name] = await observe(target);
    } finally {
      await target.dispose();
    }
  }
  return views as Record<'mock' | 'real', V>;
}

export function reportResult(value: unknown): void {
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(value)}\n`);
}

let currentPhase = 'starting';

/** Names what the driver is doing now, so an overall timeout says where it stopped. */
export function driverPhase(name: string): void {
  currentPhase = name;
}

/** Runs the script body, reports its result, and exits (rtc-node's FFI keeps the process alive otherwise). */
export function runDriver(body: () => Promise<unknown>): void {
  const guard = setTimeout(() => {
    console.error(`driver: overall timeout while ${currentPhase}`);
    process.exit(3);
  }, Number(process.env.DRIVER_TIMEOUT_MS ?? 100_000));
  body().then(
    (value) => {
      reportResult(value);
      clearTimeout(guard);
      process.exit(0);
    },
    (e: unknown) => {
      console.error('driver failed:', e);
      process.exit(1);
    },
  );
}
