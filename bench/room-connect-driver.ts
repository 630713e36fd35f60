/**
 * Item 5 probe, run inside a private network namespace (test/support/netns.ts runInNetns): `Room.connect()` of
 * @livekit/rtc-node against the mock (its /rtc signalling and WebRTC peer) and against livekit-server, both
 * bound to the namespace's veth address. Each connect is a fresh Room in a fresh room name, then disconnect.
 */
import { Room } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { startMockServer } from '../mock-server/index.ts';
import { startLiveKitServer } from '../targets/livekit-binary.ts';
import { RESULT_MARK } from '../test/support/netns.ts';

const host = process.env.LAB_NETNS_SERVER!;
const count = Number(process.env.BENCH_CONNECTS ?? 5);

async function connects(url: string, apiKey: string, apiSecret: string, tag: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = new AccessToken(apiKey, apiSecret, { identity: `bench-${i}` });
    at.addGrant({ roomJoin: true, room: `connect-${tag}-${i}` });
    const token = await at.toJwt();
    const room = new Room();
    const t0 = performance.now();
    await room.connect(url, token, { autoSubscribe: true, dynacast: false });
    times.push(performance.now() - t0);
    await room.disconnect();
  }
  return times;
}

const guard = setTimeout(() => {
  console.error('room-connect driver: overall timeout');
  process.exit(3);
}, 150_000);
try {
  const result: Record<string, number[] | string> = {};
  const mock = await startMockServer({ host, port: 0, timing: 'fast' });
  try {
    result.mock = await connects(mock.url, mock.apiKey, mock.apiSecret, 'mock');
  } catch (e) {
    result.mock = `failed: ${(e as Error).message}`;
  } finally {
    await mock.close();
  }
  try {
    const real = await startLiveKitServer({ bindAddress: host, nodeIp: host, logLevel: 'warn' });
    try {
      result.real = await connects(real.wsUrl, real.apiKey, real.apiSecret, 'real'); // on the namespace address
    } finally {
      await real.dispose();
    }
  } catch (e) {
    result.real = `failed: ${(e as Error).message}`;
  }
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
  clearTimeout(guard);
  process.exit(0);
} catch (e) {
  console.error('room-connect driver failed:', e);
  process.exit(1);
}
