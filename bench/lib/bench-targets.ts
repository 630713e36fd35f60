import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import type { TargetRef } from '../loadgen.ts';
import { procCpuMicros, procRssBytes, settledRss } from './proc.ts';

export type BenchTargetName = 'mock-fast' | 'mock-real' | 'real';

/** A server under measurement: where clients connect, and how to read its CPU and memory. */
export interface BenchTarget {
  name: BenchTargetName;
  ref: TargetRef;
  /** CPU time of the server, µs (the whole bench process for the in-process mock). */
  cpuMicros(): number;
  /** Server RSS in bytes, after a GC for the in-process mock. */
  rss(): Promise<number>;
  /** job.assigned events in the server's own trace (mock only). */
  assignedInTrace(): number | undefined;
  close(): Promise<void>;
}

export async function startBenchTarget(name: BenchTargetName): Promise<BenchTarget> {
  if (name === 'real') {
    // warn: the bench reads the server's log pipe in this process; info-level lines for every room would load it
    const s: StartedLiveKitServer = await startLiveKitServer({ logLevel: 'warn' });
    return {
      name,
      // workers connect straight to the server, not through the wire tap (a Node proxy would be the bottleneck)
      ref: { wsUrl: s.wsUrl, httpUrl: s.httpUrl, apiKey: s.apiKey, apiSecret: s.apiSecret, trigger: 'twirp' },
      cpuMicros: () => procCpuMicros(s.pid),
      rss: async () => procRssBytes(s.pid),
      assignedInTrace: () => undefined,
      close: () => s.dispose(),
    };
  }
  const m: StartedMockServer = await startMockServer({ port: 0, timing: name === 'mock-fast' ? 'fast' : 'real', seed: 7 });
  return {
    name,
    ref: { wsUrl: m.wsUrl, httpUrl: m.httpUrl, apiKey: m.apiKey, apiSecret: m.apiSecret, trigger: 'twirp' },
    cpuMicros: () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    },
    rss: () => settledRss(),
    assignedInTrace: () => m.trace.events('job.assigned').length,
    close: () => m.close(),
  };
}
