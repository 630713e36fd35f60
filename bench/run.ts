/**
 * `npm run bench`: the mock against the real livekit-server v1.13.5 binary, side by side in one run.
 * Writes NAME.json and NAME.md; only a full run of every section writes the committed bench/results/latest.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, hostname, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { integerFlag, oneOf, parseScriptArgs } from '../cli/args.ts';
import { sleep } from '../agent-runtime/wait-for.ts';
import { REPO_ROOT, resolveLiveKitServerBin } from '../targets/livekit-server-binary-path.ts';
import { builtCliUnavailable, cliHelpMs, coldStartCliProcess, coldStartInProcess, coldStartMockProcess, coldStartRealProcess, type ColdStart } from './cold-start.ts';
import { startBenchTarget, type BenchTargetName } from './lib/bench-targets.ts';
import { startFloorServer } from './lib/floor-server.ts';
import { LoadGen } from './lib/loadgen-client.ts';
import { cpuInfo, settledRss } from './lib/proc.ts';
import { agg, type Agg } from './lib/stats.ts';
import { renderMarkdown, type Column, type Row } from './report.ts';
import { libraryRows, runLibrary } from './scenario-library.ts';
import type { TargetRef } from './loadgen.ts';
import { SERVER_VERSION } from '../mock-server/config/server-version.ts';

const SECTIONS = ['cold', 'latency', 'throughput', 'memory', 'connect', 'media', 'scenarios'] as const;
const USAGE = `usage: npm run bench -- [--quick] [--repeats N] [--only ${SECTIONS.join(',')}] [--out DIR] [--name NAME]
  --quick     small counts, one repeat
  --repeats   repeats per measurement (default 3, quick 1)
  --only      these sections, comma-separated
  --out       directory for NAME.json and NAME.md: default bench/results for a full run of every section
              (the committed results), reports/bench for a partial one (--quick, --repeats or --only)
  --name      file name without extension (default latest)`;
const args = parseScriptArgs('bench', USAGE, { quick: { type: 'boolean', default: false }, repeats: { type: 'string' }, only: { type: 'string' }, out: { type: 'string' }, name: { type: 'string', default: 'latest' } }, (v) => {
  const only = v.only === undefined ? undefined : new Set(v.only.split(',').map((s) => oneOf('only', s, SECTIONS)));
  const partial = v.quick || v.repeats !== undefined || only !== undefined;
  return { quick: v.quick!, repeats: integerFlag('repeats', v.repeats, 1, 100), only, name: v.name!, out: v.out ?? join(REPO_ROOT, partial ? 'reports/bench' : 'bench/results') };
});
const quick = args.quick;
const R = args.repeats ?? (quick ? 1 : 3);
const only = args.only;
const want = (s: (typeof SECTIONS)[number]) => !only || only.has(s);
const C = quick
  ? { coldRepeats: 3, latencyRooms: 100, rate: 100, warmup: 10, tpWarmupMs: 500, tpMeasureMs: 1500, window: 256, idleWorkers: [200, 500], rooms: 200 }
  : { coldRepeats: 5, latencyRooms: 1000, rate: 100, warmup: 50, tpWarmupMs: 1000, tpMeasureMs: 3000, window: 256, idleWorkers: [1000, 5000], rooms: 1000 };

const rows: Row[] = [];
const raw: Record<string, unknown> = {};
const log = (...a: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
let realUnavailable: string | undefined;
try {
  resolveLiveKitServerBin();
} catch (e) {
  realUnavailable = (e as Error).message;
}

/** Runs `fn` R times and aggregates each named number. */
async function repeat<T extends Record<string, number>>(label: string, n: number, fn: () => Promise<T>): Promise<Record<keyof T, Agg>> {
  const runs: T[] = [];
  for (let i = 0; i < n; i++) {
    log(`${label} run ${i + 1}/${n}`);
    runs.push(await fn());
  }
  raw[label] = runs;
  const keys = Object.keys(runs[0] ?? {}) as (keyof T)[];
  return Object.fromEntries(keys.map((k) => [k, agg(runs.map((r) => r[k]))])) as Record<keyof T, Agg>;
}

async function withLoadGen<T>(fn: (lg: LoadGen) => Promise<T>): Promise<T> {
  const lg = await LoadGen.start();
  try {
    return await fn(lg);
  } finally {
    await lg.stop();
  }
}

// 1. cold start ---------------------------------------------------------------------------------------------------
async function coldStart() {
  // warm the module cache once: the in-process number is a start of an already imported mock
  await coldStartInProcess();
  const flat = (c: ColdStart) => ({ httpMs: c.httpMs, registeredMs: c.registeredMs });
  const inproc = await repeat('cold.inprocess', C.coldRepeats, async () => flat(await coldStartInProcess()));
  const mproc = await repeat('cold.mockprocess', C.coldRepeats, async () => flat(await coldStartMockProcess()));
  const real = realUnavailable ? undefined : await repeat('cold.realprocess', C.coldRepeats, async () => flat(await coldStartRealProcess()));
  // What an installed package runs: `dispatch-lab serve` and `--help` from dist/ (npm run build), same run as the real server.
  const noBuild = builtCliUnavailable();
  if (noBuild) log(`built CLI not measured: ${noBuild}`);
  const cli = noBuild ? undefined : await repeat('cold.cliprocess', C.coldRepeats, async () => flat(await coldStartCliProcess()));
  const help = noBuild ? undefined : await repeat('cold.clihelp', C.coldRepeats, async () => ({ helpMs: await cliHelpMs() }));
  rows.push(
    { section: 'Cold start', metric: 'in-process `startMockServer` → `GET /` 200', unit: 'ms', values: { mockFast: inproc.httpMs }, target: { op: '<', value: 50 } },
    { section: 'Cold start', metric: 'in-process `startMockServer` → worker registered', unit: 'ms', values: { mockFast: inproc.registeredMs }, target: { op: '<', value: 50 } },
    { section: 'Cold start', metric: 'process start → `GET /` 200 (mock: `npx tsx` start script)', unit: 'ms', values: { mockFast: mproc.httpMs, real: real?.httpMs }, ratio: true },
    { section: 'Cold start', metric: 'process start → worker registered', unit: 'ms', values: { mockFast: mproc.registeredMs, real: real?.registeredMs }, ratio: true },
  );
  if (cli && help) {
    rows.push(
      { section: 'Cold start', metric: 'process start → `GET /` 200 (`dispatch-lab serve`, built package)', unit: 'ms', values: { mockFast: cli.httpMs, real: real?.httpMs }, ratio: true, target: { op: '<', value: 100 } },
      { section: 'Cold start', metric: '`dispatch-lab --help` process start → exit (built package)', unit: 'ms', values: { mockFast: help.helpMs }, target: { op: '<', value: 100 } },
    );
  }
}

// 2. dispatch latency ---------------------------------------------------------------------------------------------
async function latency() {
  type L = { availP50: number; availP99: number; assignP50: number; assignP99: number; missing: number };
  const run = (ref: TargetRef, prefix: string) =>
    withLoadGen(async (lg) => {
      const r = await lg.call({ op: 'latency', target: ref, rooms: C.latencyRooms, ratePerSec: C.rate, warmup: C.warmup, prefix });
      return { availP50: r.availability.p50, availP99: r.availability.p99, assignP50: r.assignment.p50, assignP99: r.assignment.p99, missing: r.missing + r.errors };
    });
  const per: Partial<Record<BenchTargetName | 'floor', Record<keyof L, Agg>>> = {};
  for (const name of ['mock-fast', 'mock-real', 'real'] as BenchTargetName[]) {
    if (name === 'real' && realUnavailable) continue;
    per[name] = await repeat(`latency.${name}`, R, async () => {
      const t = await startBenchTarget(name);
      try {
        return await run(t.ref, `lat-${name}`);
      } finally {
        await t.close();
      }
    });
  }
  per.floor = await repeat('latency.floor', R, async () => {
    const f = await startFloorServer();
    try {
      return await run({ wsUrl: f.url, httpUrl: '', apiKey: 'devkey', apiSecret: 'secret', trigger: 'floor' }, 'lat-floor');
    } finally {
      await f.close();
    }
  });
  const n = `${C.latencyRooms} rooms at ${C.rate}/s, 1 worker`;
  for (const [key, label] of [
    ['availP50', 'CreateRoom → AvailabilityRequest, p50'],
    ['availP99', 'CreateRoom → AvailabilityRequest, p99'],
    ['assignP50', 'CreateRoom → JobAssignment, p50'],
    ['assignP99', 'CreateRoom → JobAssignment, p99'],
  ] as const) {
    rows.push({
      section: 'Dispatch latency',
      metric: `${label} (${n})`,
      unit: 'ms',
      values: { mockFast: per['mock-fast']?.[key], mockReal: per['mock-real']?.[key], real: per.real?.[key], floor: per.floor?.[key] },
      ratio: true,
      floorRatio: true,
      target: key === 'availP50' ? { op: '<', value: 2 } : undefined,
    });
  }
  rows.push({
    section: 'Dispatch latency',
    metric: 'rooms without an assignment (errors + missing)',
    unit: 'count',
    values: { mockFast: per['mock-fast']?.missing, mockReal: per['mock-real']?.missing, real: per.real?.missing, floor: per.floor?.missing },
  });
}

// 3. throughput -----------------------------------------------------------------------------------------------------
async function throughput() {
  for (const workers of [10, 100]) {
    type T = { rate: number; cpuPerDispatchUs: number; perCoreRate: number; clientCpuPerDispatchUs: number; p50: number; traced: number };
    const run = async (name: BenchTargetName | 'floor'): Promise<T> => {
      const floor = name === 'floor' ? await startFloorServer() : undefined;
      const t = name === 'floor' ? undefined : await startBenchTarget(name);
      const ref: TargetRef = t?.ref ?? { wsUrl: floor!.url, httpUrl: '', apiKey: 'devkey', apiSecret: 'secret', trigger: 'floor' };
      const cpu = t ? () => t.cpuMicros() : () => (({ user, system }) => user + system)(process.cpuUsage());
      try {
        return await withLoadGen(async (lg) => {
          let c0 = 0;
          let c1 = 0;
          const off = lg.onEvent((e) => {
            if (e === 'window-start') c0 = cpu();
            if (e === 'window-end') c1 = cpu();
          });
          const before = t?.assignedInTrace() ?? 0;
          const r = await lg.call({ op: 'throughput', target: ref, workers, window: C.window, warmupMs: C.tpWarmupMs, measureMs: C.tpMeasureMs, prefix: `tp-${workers}` });
          off();
          const traced = t?.assignedInTrace();
          if (traced !== undefined && traced - before < r.started - r.leftOutstanding - r.errors) {
            log(`WARNING: trace holds ${traced - before} job.assigned for ${r.started} rooms started`);
          }
          if (r.errors) log(`${name}: ${r.errors} trigger errors`);
          const cpuPerDispatchUs = (c1 - c0) / Math.max(1, r.completed);
          return { rate: r.dispatchesPerSec, cpuPerDispatchUs, perCoreRate: 1e6 / cpuPerDispatchUs, clientCpuPerDispatchUs: r.clientCpuPerDispatchUs, p50: r.assignment.p50, traced: traced === undefined ? NaN : traced - before };
        });
      } finally {
        await t?.close();
        await floor?.close();
      }
    };
    const per: Partial<Record<BenchTargetName | 'floor', Record<keyof T, Agg>>> = {};
    for (const name of ['mock-fast', 'real', 'floor'] as const) {
      if (name === 'real' && realUnavailable) continue;
      per[name] = await repeat(`throughput.${workers}.${name}`, R, () => run(name));
    }
    const ctx = `${workers} workers, ≤${C.window} in flight, ${C.tpMeasureMs / 1000} s window`;
    rows.push(
      {
        section: 'Dispatch throughput',
        metric: `dispatches/s (${ctx})`,
        unit: '/s',
        higherIsBetter: true,
        values: { mockFast: per['mock-fast']?.rate, real: per.real?.rate, floor: per.floor?.rate },
        ratio: true,
        floorRatio: true,
        target: { op: '≥', value: 5000 },
      },
      {
        section: 'Dispatch throughput',
        metric: `server CPU per dispatch (${workers} workers)`,
        unit: 'µs',
        values: { mockFast: per['mock-fast']?.cpuPerDispatchUs, real: per.real?.cpuPerDispatchUs, floor: per.floor?.cpuPerDispatchUs },
        ratio: true,
        floorRatio: true,
      },
      {
        // The mock is one thread sharing 2 cores with the load generator (and, on a shared machine, with
        // others): its CPU per dispatch is the figure that does not depend on who else runs.
        section: 'Dispatch throughput',
        metric: `dispatches/s per core of server CPU (${workers} workers; 10^6 / server CPU per dispatch: the mock's one thread on a free core)`,
        unit: '/s',
        higherIsBetter: true,
        values: { mockFast: per['mock-fast']?.perCoreRate, real: per.real?.perCoreRate, floor: per.floor?.perCoreRate },
        ratio: true,
        floorRatio: true,
      },
      {
        section: 'Dispatch throughput',
        metric: `load generator CPU per dispatch (${workers} workers; the clients' share, same code for every column)`,
        unit: 'µs',
        values: { mockFast: per['mock-fast']?.clientCpuPerDispatchUs, real: per.real?.clientCpuPerDispatchUs, floor: per.floor?.clientCpuPerDispatchUs },
      },
      {
        section: 'Dispatch throughput',
        metric: `CreateRoom → JobAssignment p50 under that load (${workers} workers)`,
        unit: 'ms',
        values: { mockFast: per['mock-fast']?.p50, real: per.real?.p50, floor: per.floor?.p50 },
        ratio: true,
      },
    );
  }
}

// 4. memory -----------------------------------------------------------------------------------------------------------
/**
 * A fresh target's RSS before and after the load generator runs `load` against it, each read after a settling
 * pause (longer for the real server); `cleanup` is sent after the second reading.
 */
async function rssAround(name: BenchTargetName, load: Record<string, unknown>, cleanup?: Record<string, unknown>): Promise<{ before: number; after: number }> {
  const t = await startBenchTarget(name);
  try {
    return await withLoadGen(async (lg) => {
      await sleep(name === 'real' ? 1000 : 100);
      const before = await t.rss();
      await lg.call({ ...load, target: t.ref });
      await sleep(name === 'real' ? 2000 : 500);
      const after = await t.rss();
      if (cleanup) await lg.call(cleanup);
      return { before, after };
    });
  } finally {
    await t.close();
  }
}

async function memory() {
  for (const count of C.idleWorkers) {
    const run = async (name: BenchTargetName) => {
      const { before, after } = await rssAround(name, { op: 'idle-workers', count }, { op: 'release' });
      return { perWorkerKB: (after - before) / count / 1024, rssMB: after / 1048576 };
    };
    const mock = await repeat(`memory.workers.${count}.mock`, R, () => run('mock-fast'));
    const real = realUnavailable ? undefined : await repeat(`memory.workers.${count}.real`, R, () => run('real'));
    rows.push(
      { section: 'Scale', metric: `memory per idle connected worker, ${count} workers (RSS delta)`, unit: 'KB', values: { mockFast: mock.perWorkerKB, real: real?.perWorkerKB }, ratio: true, target: { op: '≤', value: 100 } },
      { section: 'Scale', metric: `server RSS with ${count} idle workers (mock: whole bench process)`, unit: 'MB', values: { mockFast: mock.rssMB, real: real?.rssMB }, ratio: true },
    );
  }
  const roomRun = async (name: BenchTargetName) => {
    const { before, after } = await rssAround(name, { op: 'rooms', count: C.rooms, mode: name === 'real' ? 'twirp' : 'virtual', prefix: 'mem' });
    return { perRoomKB: (after - before) / C.rooms / 1024 };
  };
  const mock = await repeat('memory.rooms.mock', R, () => roomRun('mock-fast'));
  const real = realUnavailable ? undefined : await repeat('memory.rooms.real', R, () => roomRun('real'));
  rows.push({
    section: 'Scale',
    metric: `memory per room, ${C.rooms} rooms (mock: room + 1 virtual participant via /_lab; real: empty room via Twirp CreateRoom, no participant)`,
    unit: 'KB',
    values: { mockFast: mock.perRoomKB, real: real?.perRoomKB },
    ratio: true,
  });
}

// 5. room connect and 6. scenario library ------------------------------------------------------------------------------
function notMeasured(section: string, metric: string, reason: string) {
  rows.push({ section, metric, unit: 'ms', values: {}, notMeasured: reason });
}

async function roomConnect() {
  const metric = '`@livekit/rtc-node` `Room.connect()` (fresh Room and room name each time, inside a private network namespace)';
  let netns: typeof import('../test/support/netns.ts');
  try {
    netns = await import('../test/support/netns.ts');
  } catch (e) {
    return notMeasured('Room connect', metric, `no network namespace helper: ${(e as Error).message}`);
  }
  const why = netns.netnsUnavailableReason();
  if (why) return notMeasured('Room connect', metric, why);
  const connects = quick ? 3 : 10;
  log(`room connect: ${connects} connects each, mock then real, in a network namespace`);
  const run = netns.runInNetns(join(REPO_ROOT, 'bench', 'room-connect-driver.ts'), { env: { BENCH_CONNECTS: String(connects) }, timeoutMs: 170_000 });
  let r: { mock: number[] | string; real: number[] | string };
  try {
    r = (await run.result) as typeof r;
  } catch (e) {
    return notMeasured('Room connect', metric, `the namespace run failed: ${(e as Error).message.slice(0, 300)}`);
  } finally {
    run.kill();
  }
  raw['roomConnect'] = r;
  const val = (x: number[] | string) => (Array.isArray(x) ? agg(x) : undefined);
  rows.push({ section: 'Room connect', metric: `${metric}, over ${connects} connects`, unit: 'ms', values: { mockFast: val(r.mock), real: val(r.real) }, ratio: true });
  const first = (x: number[] | string) => (Array.isArray(x) && x.length ? agg([x[0]]) : undefined);
  rows.push({ section: 'Room connect', metric: 'first `Room.connect()` of the process', unit: 'ms', values: { mockFast: first(r.mock), real: first(r.real) }, ratio: true });
  for (const [k, v] of Object.entries(r)) if (typeof v === 'string') log(`room connect on ${k}: ${v}`);
}

/** Publish → receive latency and server CPU per forwarded stream (bench/media-forwarding-driver.ts, in a namespace). */
async function media() {
  const section = 'Media forwarding';
  const metric = 'publish → receive latency of a tone onset, @livekit/rtc-node publisher and subscriber (jitter buffer included)';
  const netns = await import('../test/support/netns.ts');
  const why = netns.netnsUnavailableReason();
  if (why) return notMeasured(section, metric, why);
  const bursts = quick ? 10 : 30;
  log(`media: ${bursts} tone onsets and CPU windows, mock then real, in a network namespace`);
  const run = netns.runInNetns(join(REPO_ROOT, 'bench', 'media-forwarding-driver.ts'), {
    env: { BENCH_BURSTS: String(bursts), BENCH_CPU_MS: quick ? '3000' : '5000', BENCH_VIDEO_PAIRS: quick ? '2' : '4' },
    timeoutMs: 400_000,
  });
  let r: Record<'mock' | 'real', import('./media-forwarding-driver.ts').MediaProbe | string>;
  try {
    r = (await run.result) as typeof r;
  } catch (e) {
    return notMeasured(section, metric, `the namespace run failed: ${(e as Error).message.slice(0, 300)}`);
  } finally {
    run.kill();
  }
  raw['media'] = r;
  const of = <K extends 'latencyMs' | 'cpuPerAudioStream' | 'cpuPerVideoStream' | 'videoFps'>(side: 'mock' | 'real', k: K) => {
    const probe = r[side];
    if (typeof probe === 'string') return undefined;
    const v = probe[k];
    return agg(Array.isArray(v) ? v : [v]);
  };
  rows.push({ section, metric: `${metric}, p50 / p99 over the onsets`, unit: 'ms', values: { mockFast: of('mock', 'latencyMs'), real: of('real', 'latencyMs') }, ratio: true });
  const cpu = (what: string, k: 'cpuPerAudioStream' | 'cpuPerVideoStream') =>
    rows.push({ section, metric: `server CPU per forwarded ${what} stream (one publisher, three subscribers)`, unit: '% core', values: { mockFast: of('mock', k), real: of('real', k) }, ratio: true });
  cpu('Opus audio', 'cpuPerAudioStream');
  cpu('320x240 VP8 video', 'cpuPerVideoStream');
  rows.push({ section, metric: "frames/s a subscriber decoded of that video, in the CPU windows with it on (it really flowed)", unit: 'fps', values: { mockFast: of('mock', 'videoFps'), real: of('real', 'videoFps') }, ratio: true });
  for (const [k, v] of Object.entries(r)) if (typeof v === 'string') log(`media on ${k}: ${v}`);
}

async function scenarios() {
  const metric = 'scenario library wall time (scenarios/library, one fresh target per scenario)';
  if (!existsSync(join(REPO_ROOT, 'scenarios', 'runner.ts'))) return notMeasured('Scenario library', metric, 'the scenario runner (scenarios/) is not in the checkout');
  let mock, real;
  try {
    mock = await runLibrary('mock', log);
    real = realUnavailable ? undefined : await runLibrary('livekit-all', log);
  } catch (e) {
    return notMeasured('Scenario library', metric, (e as Error).message);
  }
  raw['scenarios'] = { mock, real };
  rows.push(...libraryRows(mock, real));
}

// main ----------------------------------------------------------------------------------------------------------------
const started = new Date();
const t0 = performance.now();
// the machine is shared: the 1-minute load average at the start and end says how busy it was
const loadAtStart = loadavg()[0]!;
if (realUnavailable) log(`real livekit-server not available (${realUnavailable}); run \`npm run setup:livekit\`. Measuring the mock only.`);
const columns: Column[] = [
  { key: 'mockFast', title: 'mock (fast preset)' },
  { key: 'mockReal', title: 'mock (real timing)' },
  { key: 'real', title: `livekit-server v${SERVER_VERSION}` },
  { key: 'floor', title: 'ws floor' },
];
try {
  if (want('cold')) await coldStart();
  if (want('latency')) await latency();
  if (want('throughput')) await throughput();
  if (want('memory')) await memory();
  if (want('connect')) await roomConnect();
  if (want('media')) await media();
  if (want('scenarios')) await scenarios();
} catch (e) {
  log('benchmark failed:', e);
  process.exitCode = 1;
}
const cpu = cpuInfo();
const machine = {
  host: hostname(),
  cpu: cpu.model,
  cores: cpus().length,
  memGB: Math.round(totalmem() / 2 ** 30),
  kernel: release(),
  arch: arch(),
  node: process.version,
  shared: `yes: 2 cores shared with other engineers running test suites during the run (1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end); absolute numbers are noisy, ratios taken in the same run and CPU per dispatch are the point`,
};
const result = {
  started: started.toISOString(),
  durationSec: Math.round((performance.now() - t0) / 1000),
  mode: quick ? 'quick' : 'full',
  repeats: R,
  config: C,
  machine,
  rows,
  raw,
  finalRss: await settledRss(),
};
await mkdir(args.out, { recursive: true });
await writeFile(join(args.out, `${args.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
await writeFile(join(args.out, `${args.name}.md`), renderMarkdown(result, columns));
log(`wrote ${join(args.out, `${args.name}.json`)} and .md in ${result.durationSec} s`);
process.exit(process.exitCode ?? 0);
