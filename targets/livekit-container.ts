import { existsSync } from 'node:fs';
import type { StartedTestContainer } from 'testcontainers';
import type { Trace } from '../mock-server/trace/trace.ts';
import { ContainerLogs } from './container-logs.ts';
import { ContainerRuntimeUnavailableError } from './errors.ts';
import { freeTcpPort, freeUdpPort } from './free-port.ts';
import { liveKitConfigYaml } from './livekit-config.ts';
import { ContainerImageMissingError, ContainerNeverReadyError, ContainerPortInUseError } from './livekit-container-errors.ts';
import { imageExists, isLabBuiltImage, LIVEKIT_OFFICIAL_IMAGE, reaperOrDisable, resolveLiveKitImage } from './livekit-image.ts';
import type { LiveKitTarget, TargetKind } from './livekit-target.ts';
import { waitForHttp } from './wait-for-http.ts';
import { startWireTap, type WireTap } from './wire-tap.ts';

export { LIVEKIT_LOCAL_IMAGE, LIVEKIT_OFFICIAL_IMAGE } from './livekit-image.ts';
/** The official image (kept under its old name). */
export const LIVEKIT_IMAGE = LIVEKIT_OFFICIAL_IMAGE;
export const LIVEKIT_HTTP_PORT = 7880;
export const LIVEKIT_RTC_TCP_PORT = 7881;
export const LIVEKIT_RTC_UDP_PORT = 7882;

// testcontainers' untyped "no runtime" errors, current and older wording
const NO_RUNTIME = /Could not find a working container runtime strategy|No Docker client strategy found/i;
const PORT_CLASH = /address already in use/i;

export interface LiveKitContainerOptions {
  /** Default: LIVEKIT_IMAGE, else the local build (dispatch-lab/livekit-server:1.13.5-local) if present, else the official image. */
  image?: string;
  /** API keys; default `{devkey: 'secret'}` as `--dev`. The first pair is the target's key/secret. */
  keys?: Record<string, string>;
  /** Bind address and ICE address (node_ip); default 127.0.0.1. */
  host?: string;
  /** Ports default to free ones chosen now (host networking: the container listens on the host's ports). */
  httpPort?: number;
  rtcTcpPort?: number;
  udpPort?: number;
  /**
   * Default `host` on Linux (no port mapping, no bridge: every packet stays on the host's addresses);
   * `container:<id>` joins another container's network namespace (the publishing differential's namespace).
   * Elsewhere (Docker Desktop) ports are mapped.
   */
  networkMode?: string;
  startupTimeoutMs?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  extraConfig?: Record<string, unknown>;
  /** Where the lab's one-line notices go (the reaper decision); default stderr. */
  log?: (line: string) => void;
}

/**
 * livekit-server v1.13.5 in a container, shaped like the testcontainers modules. testcontainers is loaded only
 * in start(), so code that never starts a container never pays for loading it.
 */
export class LiveKitContainer {
  #opts: LiveKitContainerOptions;

  constructor(image?: string | LiveKitContainerOptions) {
    this.#opts = typeof image === 'string' ? { image } : { ...image };
  }

  withKeys(apiKey: string, apiSecret: string): this {
    this.#opts.keys = { [apiKey]: apiSecret };
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.#opts.startupTimeoutMs = ms;
    return this;
  }

  withPorts(ports: { httpPort?: number; rtcTcpPort?: number; udpPort?: number }): this {
    Object.assign(this.#opts, ports);
    return this;
  }

  withHost(host: string): this {
    this.#opts.host = host;
    return this;
  }

  withNetworkMode(mode: string): this {
    this.#opts.networkMode = mode;
    return this;
  }

  async start(): Promise<StartedLiveKitContainer> {
    const o = this.#opts;
    const fixedPorts = o.httpPort !== undefined || o.rtcTcpPort !== undefined || o.udpPort !== undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOnce(o);
      } catch (err) {
        // free ports are only free when chosen; another process may take one first
        if (!(err instanceof ContainerPortInUseError) || fixedPorts || attempt >= 3) throw err;
      }
    }
  }
}

/** Starts livekit-server v1.13.5 in a container and waits until `GET /` answers 200. */
export function startLiveKitContainer(opts: LiveKitContainerOptions = {}): Promise<StartedLiveKitContainer> {
  return new LiveKitContainer(opts).start();
}

async function startOnce(o: LiveKitContainerOptions): Promise<StartedLiveKitContainer> {
  dockerHostOrThrow();
  const networkMode = o.networkMode ?? (process.platform === 'linux' ? 'host' : undefined);
  // inside a container (/.dockerenv) testcontainers looks for the bridge's gateway, or pulls alpine to find one;
  // with host networking the host is the machine itself
  if (networkMode) process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  const tc = await import('testcontainers');
  const client = await runtimeOrThrow(() => tc.getContainerRuntimeClient());
  const image = await resolveLiveKitImage(client, o.image);
  const present = await imageExists(client, image);
  if (!present && isLabBuiltImage(image)) throw new ContainerImageMissingError(image, 'it is built here and never pulled');
  await reaperOrDisable(client, !isLabBuiltImage(image), o.log ?? ((l) => process.stderr.write(`${l}\n`)));

  const keys = o.keys ?? { devkey: 'secret' };
  const [apiKey, apiSecret] = Object.entries(keys)[0] ?? ['devkey', 'secret'];
  const host = o.host ?? '127.0.0.1';
  // a mapped container listens on its own interfaces (--dev alone would keep it on its loopback, out of reach)
  const ports = networkMode
    ? { http: o.httpPort ?? (await freeTcpPort(host)), tcp: o.rtcTcpPort ?? (await freeTcpPort()), udp: o.udpPort ?? (await freeUdpPort(host)) }
    : { http: LIVEKIT_HTTP_PORT, tcp: LIVEKIT_RTC_TCP_PORT, udp: LIVEKIT_RTC_UDP_PORT };
  const config = liveKitConfigYaml({
    httpPort: ports.http,
    rtcTcpPort: ports.tcp,
    udpPort: ports.udp,
    bindAddress: networkMode ? host : '0.0.0.0',
    nodeIp: networkMode ? host : '127.0.0.1',
    keys,
    logLevel: o.logLevel ?? 'info',
    extra: o.extraConfig,
  });
  const logs = new ContainerLogs();
  let container = new tc.GenericContainer(image)
    .withLabels({ 'dispatch-lab': '1' })
    // livekit-server reads its whole config from LIVEKIT_CONFIG (--config-body); --dev keeps development defaults
    .withEnvironment({ LIVEKIT_CONFIG: config })
    .withCommand(['--dev'])
    .withLogConsumer((stream) => logs.follow(stream))
    .withStartupTimeout(o.startupTimeoutMs ?? 60_000);
  container = networkMode
    ? container.withNetworkMode(networkMode)
    : container.withExposedPorts(LIVEKIT_HTTP_PORT, LIVEKIT_RTC_TCP_PORT, `${LIVEKIT_RTC_UDP_PORT}/udp`);

  const started = await runtimeOrThrow(() => container.start()).catch((err: unknown) => {
    if (!present && !(err instanceof ContainerRuntimeUnavailableError)) {
      throw new ContainerImageMissingError(image, `pulling it failed: ${(err as Error).message.split('\n')[0]}`);
    }
    throw err;
  });
  const hostPort = networkMode ? `${host}:${ports.http}` : `${started.getHost()}:${started.getMappedPort(LIVEKIT_HTTP_PORT)}`;
  const timeoutMs = o.startupTimeoutMs ?? 30_000;
  try {
    await waitForHttp({ url: `http://${hostPort}/`, timeoutMs, isDead: () => (logs.ended ? 'the container exited' : undefined) });
  } catch {
    await started.stop().catch(() => undefined);
    const clash = logs.lines().find((l) => PORT_CLASH.test(l));
    if (clash) throw new ContainerPortInUseError(Number(/:(\d+): bind/.exec(clash)?.[1]) || undefined, logs.last(20));
    throw new ContainerNeverReadyError(image, logs.ended ? 'the container exited' : `GET http://${hostPort}/ did not answer 200 within ${timeoutMs} ms`, logs.last(20));
  }
  const tap = await startWireTap({ upstreamUrl: `http://${hostPort}` });
  return new StartedLiveKitContainer(started, image, apiKey, apiSecret, hostPort, tap, logs);
}

/** A running livekit-server container with a wire tap in front of its `/agent` endpoint. */
export class StartedLiveKitContainer implements LiveKitTarget {
  readonly kind: TargetKind = 'livekit-container';
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly workerWsUrl: string;
  #disposed?: Promise<void>;

  constructor(
    readonly container: StartedTestContainer,
    readonly image: string,
    readonly apiKey: string,
    readonly apiSecret: string,
    hostPort: string,
    private readonly tap: WireTap,
    private readonly logLines: ContainerLogs,
  ) {
    this.wsUrl = `ws://${hostPort}`;
    this.httpUrl = `http://${hostPort}`;
    this.workerWsUrl = tap.url;
  }

  get trace(): Trace {
    return this.tap.trace;
  }

  /** Everything the container logged so far (stdout and stderr). */
  logs(): string[] {
    return this.logLines.lines();
  }

  onLogLine(listener: (line: string) => void): () => void {
    return this.logLines.onLine(listener);
  }

  getWsUrl(): string {
    return this.wsUrl;
  }

  getHttpUrl(): string {
    return this.httpUrl;
  }

  getApiKey(): string {
    return this.apiKey;
  }

  getApiSecret(): string {
    return this.apiSecret;
  }

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      await this.tap.close();
      await this.container.stop();
    })();
    return this.#disposed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/** DOCKER_HOST naming a socket that does not exist: say so at once instead of trying every other strategy. */
function dockerHostOrThrow(): void {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost?.startsWith('unix://') && !existsSync(dockerHost.slice('unix://'.length))) {
    throw new ContainerRuntimeUnavailableError(undefined, `DOCKER_HOST=${dockerHost} does not exist`);
  }
}

async function runtimeOrThrow<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error && NO_RUNTIME.test(err.message)) throw new ContainerRuntimeUnavailableError(err);
    throw err;
  }
}
