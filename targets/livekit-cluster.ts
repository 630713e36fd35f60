import { systemClock } from '../mock-server/core/clock.ts';
import { Trace } from '../mock-server/trace/trace.ts';
import { startLiveKitServer, type StartedLiveKitServer, type StartLiveKitServerOptions } from './livekit-binary.ts';
import type { LiveKitTarget, TargetKind } from './livekit-target.ts';
import { startRedis, type StartedRedis } from './redis-server.ts';

export type ClusterNodeOptions = Omit<StartLiveKitServerOptions, 'redisAddress' | 'trace' | 'socketIdPrefix'>;

/**
 * Two livekit-server processes sharing a Redis, so cross-node dispatch (worker on one node, room on the
 * other) can be reproduced. The target's own URLs are node 1's; both nodes' taps record into one trace.
 */
export class StartedLiveKitCluster implements LiveKitTarget {
  readonly kind: TargetKind = 'livekit-cluster';
  #disposed?: Promise<void>;

  constructor(
    readonly redis: StartedRedis,
    readonly nodes: readonly [StartedLiveKitServer, StartedLiveKitServer],
    readonly trace: Trace,
  ) {}

  get wsUrl(): string {
    return this.nodes[0].wsUrl;
  }
  get httpUrl(): string {
    return this.nodes[0].httpUrl;
  }
  get workerWsUrl(): string {
    return this.nodes[0].workerWsUrl;
  }
  get apiKey(): string {
    return this.nodes[0].apiKey;
  }
  get apiSecret(): string {
    return this.nodes[0].apiSecret;
  }

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      await Promise.allSettled(this.nodes.map((n) => n.dispose()));
      await this.redis.dispose();
    })();
    return this.#disposed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

export async function startLiveKitCluster(opts: ClusterNodeOptions = {}): Promise<StartedLiveKitCluster> {
  const redis = await startRedis();
  const trace = new Trace(systemClock);
  const started: StartedLiveKitServer[] = [];
  try {
    // one after the other: each picks free ports after the previous one holds its own
    for (const prefix of ['n1', 'n2']) {
      started.push(await startLiveKitServer({ ...opts, redisAddress: redis.address, trace, socketIdPrefix: prefix }));
    }
  } catch (err) {
    await Promise.allSettled(started.map((n) => n.dispose()));
    await redis.dispose();
    throw err;
  }
  for (const n of started) n.kind = 'livekit-cluster';
  return new StartedLiveKitCluster(redis, [started[0]!, started[1]!], trace);
}
