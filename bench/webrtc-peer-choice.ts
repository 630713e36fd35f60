/**
 * Which WebRTC stack answers client offers in the mock: werift, node-datachannel or @roamhq/wrtc.
 * For each, the real mock (rtc extension with that peer) serves real @livekit/rtc-node clients inside a
 * private network namespace, and this measures:
 *   - Room.connect() time (signal + ICE + DTLS), median/max over ROUNDS sequential connects
 *   - process CPU time per connect (client side is the same for every candidate, so differences are the peer's)
 *   - data channels: publishData reliable and lossy, a text stream, and a destination-filtered packet
 *   - install weight: the package and its transitive dependencies on disk
 *
 * Usage (root): npx tsx bench/webrtc-peer-choice.ts [--modules /dir/containing/node_modules] [--rounds 8]
 * The candidates need not be dependencies of the project: install them anywhere
 * (`npm i werift@0.25.2 node-datachannel@0.33.4 @roamhq/wrtc@0.10.0` in a scratch dir) and pass --modules.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataPacketKind, dispose, RoomEvent } from '@livekit/rtc-node';
import { waitFor } from '../agent-runtime/wait-for.ts';
import { w3cPeerFactory, type W3CPeerConnectionCtor } from '../mock-server/rtc/peer/w3c-peer.ts';
import { connectClient, startLabServer, userToken } from '../test/rtc/drivers/driver-kit.ts';
import { runInNetns } from '../test/support/netns.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : (process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
};
const modulesDir = arg('modules', process.cwd());
const rounds = Number(arg('rounds', '8'));

const CANDIDATES: { name: string; load: (req: NodeRequire) => W3CPeerConnectionCtor }[] = [
  { name: 'werift', load: (req) => req('werift').RTCPeerConnection },
  { name: 'node-datachannel', load: (req) => req('node-datachannel/polyfill').RTCPeerConnection },
  { name: '@roamhq/wrtc', load: (req) => req('@roamhq/wrtc').RTCPeerConnection },
];

function dirSize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) total += dirSize(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

/** The package plus every dependency and installed optional dependency, each counted once. */
function installWeight(nodeModules: string, name: string, seen = new Set<string>()): { bytes: number; packages: number } {
  if (seen.has(name)) return { bytes: 0, packages: 0 };
  seen.add(name);
  const dir = join(nodeModules, name);
  let pkg: Record<string, Record<string, string> | undefined>;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return { bytes: 0, packages: 0 }; // an optional dependency for another platform
  }
  let bytes = dirSize(dir);
  let packages = 1;
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    const w = installWeight(nodeModules, dep, seen);
    bytes += w.bytes;
    packages += w.packages;
  }
  return { bytes, packages };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(name: string, Ctor: W3CPeerConnectionCtor) {
  const server = await startLabServer({ rtc: { peerFactory: w3cPeerFactory(Ctor) } });
  const connectMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const cpu = process.cpuUsage();
    const c = await connectClient(server, await userToken(server, `probe-${i}`, `bench-${i}`));
    cpuMs.push((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000);
    connectMs.push(c.connectMs);
    await c.room.disconnect();
  }
  // data channels between two clients
  const a = await connectClient(server, await userToken(server, 'a', 'data'));
  const b = await connectClient(server, await userToken(server, 'b', 'data'));
  const got: string[] = [];
  b.room.on(RoomEvent.DataReceived, (payload, _p, kind) => got.push(`${kind === DataPacketKind.KIND_LOSSY ? 'lossy' : 'reliable'}:${Buffer.from(payload).toString()}`));
  b.room.registerTextStreamHandler('t', async (reader) => void got.push(`text:${await reader.readAll()}`));
  const check = { reliable: false, lossy: false, textStream: false, destinationFilter: false };
  try {
    await waitFor(() => b.room.remoteParticipants.size === 1, { reason: 'b to see a', timeoutMs: 10_000 });
    await a.room.localParticipant!.publishData(Buffer.from('nobody'), { reliable: true, destination_identities: ['someone-else'] });
    await a.room.localParticipant!.publishData(Buffer.from('hello'), { reliable: true });
    await waitFor(() => got.includes('reliable:hello'), { reason: 'reliable packet', timeoutMs: 10_000 }).then(() => (check.reliable = true));
    for (let i = 0; i < 5 && !got.includes('lossy:hi'); i++) {
      await a.room.localParticipant!.publishData(Buffer.from('hi'), { reliable: false });
      await new Promise((r) => setTimeout(r, 100));
    }
    check.lossy = got.includes('lossy:hi');
    await a.room.localParticipant!.sendText('streamed', { topic: 't' });
    await waitFor(() => got.includes('text:streamed'), { reason: 'text stream', timeoutMs: 10_000 }).then(() => (check.textStream = true));
    check.destinationFilter = !got.includes('reliable:nobody');
  } catch (e) {
    console.error(`${name}: data check failed: ${(e as Error).message}`);
  }
  await a.room.disconnect();
  await b.room.disconnect();
  await server.close();
  return { connectMs, cpuMs, check };
}

async function main() {
  const req = createRequire(join(modulesDir, 'package.json'));
  const rows: string[] = [];
  const only = process.env.BENCH_ONLY;
  for (const c of CANDIDATES.filter((x) => !only || x.name === only)) {
    let Ctor: W3CPeerConnectionCtor;
    try {
      Ctor = c.load(req);
    } catch (e) {
      rows.push(`| ${c.name} | not installed in ${modulesDir} | | | | |`);
      continue;
    }
    const weight = installWeight(join(modulesDir, 'node_modules'), c.name);
    const m = await measure(c.name, Ctor);
    const checks = Object.entries(m.check)
      .map(([k, v]) => `${k} ${v ? 'ok' : 'FAIL'}`)
      .join(', ');
    rows.push(
      `| ${c.name} | ${median(m.connectMs).toFixed(0)} / ${Math.max(...m.connectMs).toFixed(0)} | ${median(m.cpuMs).toFixed(0)} | ${(weight.bytes / 1e6).toFixed(1)} MB, ${weight.packages} pkgs | ${checks} |`,
    );
  }
  console.log(`\nrounds per candidate: ${rounds}; node ${process.version}; ${new Date().toISOString()}`);
  console.log('| peer | Room.connect() median / max (ms) | CPU per connect, median (ms) | install weight | data channels |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  await dispose();
}

if (!process.env.LAB_NETNS_SERVER) {
  // re-run this file inside a private network namespace (ICE needs a non-loopback interface)
  const run = runInNetns(fileURLToPath(import.meta.url), { env: { BENCH_MODULES: modulesDir, BENCH_ROUNDS: String(rounds) }, timeoutMs: 600_000 });
  run.result.then(
    () => undefined,
    (e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
  run.child.on('exit', () => process.stdout.write(run.output()));
} else {
  main().then(
    () => {
      console.log('@@result {}');
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
