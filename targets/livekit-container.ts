import type { StartedTestContainer } from 'testcontainers';
import type { Trace } from '../mock-server/trace/trace.ts';
import { SERVER_VERSION } from '../mock-server/config/server-version.ts';
import { ContainerRuntimeUnavailableError } from './errors.ts';
import type { LiveKitTarget, TargetKind } from './livekit-target.ts';
import { startWireTap, type WireTap } from './wire-tap.ts';

export const LIVEKIT_IMAGE = `livekit/livekit-server:v${SERVER_VERSION}`;
export const LIVEKIT_HTTP_PORT = 7880;
export const LIVEKIT_RTC_TCP_PORT = 7881;
export const LIVEKIT_RTC_UDP_PORT = 7882;

// testcontainers' untyped "no runtime" errors, current and older wording
const NO_RUNTIME = /Could not find a working container runtime strategy|No Docker client strategy found/i;

/**
 * livekit-server in a container, shaped like the testcontainers modules. testcontainers is loaded only
 * in start(), so code that never starts a container never pays for loading it.
 */
export class LiveKitContainer {
  #apiKey = 'devkey';
  #apiSecret = 'secret';
  #startupTimeoutMs = 60_000;

  constructor(readonly image: string = LIVEKIT_IMAGE) {}

  withKeys(apiKey: string, apiSecret: string): this {
    this.#apiKey = apiKey;
    this.#apiSecret = apiSecret;
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.#startupTimeoutMs = ms;
    return this;
  }

  async start(): Promise<StartedLiveKitContainer> {
    const tc = await import('testcontainers');
    await runtimeOrThrow(() => tc.getContainerRuntimeClient());
    const started = await runtimeOrThrow(() =>
      new tc.GenericContainer(this.image)
        .withExposedPorts(LIVEKIT_HTTP_PORT, LIVEKIT_RTC_TCP_PORT, `${LIVEKIT_RTC_UDP_PORT}/udp`)
        .withEnvironment({ LIVEKIT_KEYS: `${this.#apiKey}: ${this.#apiSecret}` })
        // --bind is mandatory: --dev alone listens on loopback only, which port mapping cannot reach
        .withCommand(['--dev', '--bind', '0.0.0.0'])
        .withWaitStrategy(tc.Wait.forHttp('/', LIVEKIT_HTTP_PORT).forStatusCode(200))
        .withStartupTimeout(this.#startupTimeoutMs)
        .start(),
    );
    const httpUrl = `http://${started.getHost()}:${started.getMappedPort(LIVEKIT_HTTP_PORT)}`;
    return new StartedLiveKitContainer(started, this.#apiKey, this.#apiSecret, await startWireTap({ upstreamUrl: httpUrl }));
  }
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
    readonly apiKey: string,
    readonly apiSecret: string,
    private readonly tap: WireTap,
  ) {
    const hostPort = `${container.getHost()}:${container.getMappedPort(LIVEKIT_HTTP_PORT)}`;
    this.wsUrl = `ws://${hostPort}`;
    this.httpUrl = `http://${hostPort}`;
    this.workerWsUrl = tap.url;
  }

  get trace(): Trace {
    return this.tap.trace;
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

async function runtimeOrThrow<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error && NO_RUNTIME.test(err.message)) throw new ContainerRuntimeUnavailableError(err);
    throw err;
  }
}
