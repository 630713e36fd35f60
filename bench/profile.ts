/**
 * Profiles the in-process mock's dispatch hot path: `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/profile.ts [workers] [seconds]`,
 * then `npx tsx bench/profile-summary.ts DIR/<file>.cpuprofile` for the top functions by self time.
 */
import { startMockServer } from '../mock-server/index.ts';
import { LoadGen } from './lib/loadgen-client.ts';

const workers = Number(process.argv[2] ?? 10);
const seconds = Number(process.argv[3] ?? 5);
const mock = await startMockServer({ port: 0, timing: 'fast', seed: 7 });
const lg = await LoadGen.start();
let c0 = process.cpuUsage();
let cpu = { user: 0, system: 0 };
lg.onEvent((e) => {
  if (e === 'window-start') c0 = process.cpuUsage();
  if (e === 'window-end') cpu = process.cpuUsage(c0);
});
try {
  const r = await lg.call({
    op: 'throughput',
    target: { wsUrl: mock.wsUrl, httpUrl: mock.httpUrl, apiKey: mock.apiKey, apiSecret: mock.apiSecret, trigger: 'twirp' },
    workers,
    window: 256,
    warmupMs: 500,
    measureMs: seconds * 1000,
    prefix: 'prof',
  });
  console.log(
    JSON.stringify({
      dispatchesPerSec: Math.round(r.dispatchesPerSec),
      completed: r.completed,
      mockCpuPerDispatchUs: Math.round((cpu.user + cpu.system) / r.completed),
      clientCpuPerDispatchUs: Math.round(r.clientCpuPerDispatchUs),
      p50: r.assignment.p50,
      traceEvents: mock.trace.lastSeq,
    }),
  );
} finally {
  await lg.stop();
  await mock.close();
}
process.exit(0);
