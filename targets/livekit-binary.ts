import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Trace } from '../mock-server/trace/trace.ts';
import { ServerStartError } from './errors.ts';
import { freeTcpPort, freeUdpPort } from './free-port.ts';
import { liveKitConfigYaml } from './livekit-config.ts';
import { resolveLiveKitServerBin } from './livekit-server-binary-path.ts';
import type { LiveKitTarget, TargetKind } from './livekit-target.ts';
import { ManagedProcess } from './managed-process.ts';
import { waitForHttp } from './wait-for-http.ts';
import { startWireTap, type WireTap } from './wire-tap.ts';

export interface StartLiveKitServerOptions {
  /** API keys; default `{devkey: 'secret'}` as `--dev`. The first pair is the target's key/secret. */
  keys?: Record<string, string>;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** host:port of a Redis shared with other nodes (multi-node routing); single-node otherwise. */
  redisAddress?: string;
  /** Advertised in ICE candidates; default 127.0.0.1. */
  nodeIp?: string;
  /** Default 127.0.0.1. */
  bindAddress?: string;
  /** Ports default to free ones chosen now. */
  httpPort?: number;
  rtcTcpPort?: number;
  udpPort?: number | { start: number; end: number };
  /** Defaults to resolveLiveKitServerBin(). */
  binPath?: string;
  extraConfig?: Record<string, unknown>;
  startTimeoutMs?: number;
  stopGraceMs?: number;
  /** Record the tap into this trace (shared by cluster nodes). */
  trace?: Trace;
  socketIdPrefix?: string;
}

/** A running livekit-server process with a wire tap in front of its `/agent` endpoint. */
export class StartedLiveKitServer implements LiveKitTarget {
  kind: TargetKind = 'livekit-binary';
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly workerWsUrl: string;
  #disposed?: Promise<void>;

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
    readonly httpPort: number,
    readonly configPath: string,
    private readonly proc: ManagedProcess,
    private readonly tap: WireTap,
    private readonly tempDir: string,
    bindAddress = '127.0.0.1',
  ) {
    // the address it listens on: inside a network namespace that is the veth address, where WebRTC clients can reach it
    const host = bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress;
    this.wsUrl = `ws://${host}:${httpPort}`;
    this.httpUrl = `http://${host}:${httpPort}`;
    this.workerWsUrl = tap.url;
  }

  get trace(): Trace {
    return this.tap.trace;
  }

  /** The process id, which is also its process group id. */
  get pid(): number {
    return this.proc.pid!;
  }

  get exited(): boolean {
    return this.proc.hasExited;
  }

  logs(): string[] {
    return this.proc.logs();
  }

  /** The node id from the start line (`ND_…`): lets CreateRoom pin a room to this node in a cluster. */
  get nodeId(): string | undefined {
    for (const line of this.proc.logs()) {
      const m = /starting LiveKit server.*"nodeID": "(ND_[A-Za-z0-9]+)"/.exec(line);
      if (m) return m[1];
    }
    return undefined;
  }

  onLogLine(listener: (line: string) => void): () => void {
    return this.proc.onLine(listener);
  }

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      await this.tap.close();
      await this.proc.stop();
      await rm(this.tempDir, { recursive: true, force: true });
    })();
    return this.#disposed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

const PORT_CLASH = /address already in use/i;

/** Starts livekit-server v1.13.5 on free local ports and waits until `GET /` answers 200. */
export async function startLiveKitServer(opts: StartLiveKitServerOptions = {}): Promise<StartedLiveKitServer> {
  const fixedPorts = opts.httpPort !== undefined || opts.rtcTcpPort !== undefined || opts.udpPort !== undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      // free ports are only free when chosen; another process may take one first
      const clash = err instanceof ServerStartError && err.lastLogLines.some((l) => PORT_CLASH.test(l));
      if (!clash || fixedPorts || attempt >= 3) throw err;
    }
  }
}

async function startOnce(opts: StartLiveKitServerOptions): Promise<StartedLiveKitServer> {
  const bin = opts.binPath ?? resolveLiveKitServerBin();
  const keys = opts.keys ?? { devkey: 'secret' };
  const [apiKey, apiSecret] = Object.entries(keys)[0] ?? [];
  if (!apiKey || apiSecret === undefined) throw new ServerStartError('startLiveKitServer: `keys` must hold at least one key');
  const bindAddress = opts.bindAddress ?? '127.0.0.1';
  const nodeIp = opts.nodeIp ?? '127.0.0.1';
  const httpPort = opts.httpPort ?? (await freeTcpPort(bindAddress));
  const rtcTcpPort = opts.rtcTcpPort ?? (await freeTcpPort());
  const udpPort = opts.udpPort ?? (await freeUdpPort(nodeIp));

  const tempDir = await mkdtemp(join(tmpdir(), 'livekit-lab-'));
  const configPath = join(tempDir, 'livekit.yaml');
  const yaml = liveKitConfigYaml({
    httpPort,
    rtcTcpPort,
    udpPort,
    bindAddress,
    nodeIp,
    keys,
    logLevel: opts.logLevel ?? 'info',
    redisAddress: opts.redisAddress,
    extra: opts.extraConfig,
  });
  await writeFile(configPath, yaml);

  // --dev keeps development defaults (console logs, lenient key length); the config sets everything else
  const proc = new ManagedProcess({ command: bin, args: ['--dev', '--config', configPath], cwd: tempDir, stopGraceMs: opts.stopGraceMs });
  const httpUrl = `http://${bindAddress}:${httpPort}`;
  try {
    await waitForHttp({
      url: `${httpUrl}/`,
      timeoutMs: opts.startTimeoutMs ?? 30_000,
      isDead: () => (proc.hasExited ? `livekit-server exited (code ${proc.exitInfo?.code}, signal ${proc.exitInfo?.signal})` : undefined),
      lastLogs: () => proc.lastLogs(),
    });
  } catch (err) {
    await proc.stop();
    await rm(tempDir, { recursive: true, force: true });
    throw err;
  }
  const tap = await startWireTap({ upstreamUrl: httpUrl, trace: opts.trace, socketIdPrefix: opts.socketIdPrefix });
  return new StartedLiveKitServer(apiKey, apiSecret, httpPort, configPath, proc, tap, tempDir, bindAddress);
}
