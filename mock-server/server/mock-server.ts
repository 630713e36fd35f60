import type { AddressInfo } from 'node:net';
import { DEV_KEYS, type ApiKeys } from '../auth/api-keys.ts';
import { ConfigError } from '../core/errors.ts';
import type { Trace } from '../trace/trace.ts';
import { OneTimeLinks } from '../inspector/one-time-links.ts';
import { createHttpLayer } from '../transport/http-server.ts';
import type { ServerExtension } from '../transport/server-extension.ts';
import { createRtcExtension, type RtcExtensionOptions } from '../rtc/rtc-extension.ts';
import { agentDispatchService } from '../twirp/agent-dispatch-service.ts';
import { egressService, ingressService } from '../twirp/io-services.ts';
import { sipService } from '../sip/sip-service.ts';
import { roomService } from '../twirp/room-service.ts';
import { roomServiceRpcOnly } from '../twirp/room-service-rpc-only.ts';
import { MockCore, type MockCoreOptions } from './mock-core.ts';

export interface MockServerOptions extends MockCoreOptions {
  /** Default 127.0.0.1, like livekit-server --dev. */
  host?: string;
  /** Default 7880; 0 picks a free port. */
  port?: number;
  /** API key → secret; default devkey:secret. */
  keys?: ApiKeys;
  /** Extra features mounted on the HTTP server (the /rtc signalling). */
  extensions?: (core: MockCore) => ServerExtension[];
  /** The /rtc signalling and WebRTC peer (mounted by default); false turns it off. */
  rtc?: RtcExtensionOptions | false;
}

/** A running mock server. Implements the LiveKitTarget shape (kind 'mock'). */
export interface StartedMockServer extends AsyncDisposable {
  readonly kind: 'mock';
  readonly url: string;
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly host: string;
  readonly port: number;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly trace: Trace;
  readonly core: MockCore;
  /** A link to the live inspector (`/_lab/`) that signs the browser in once, without a key. */
  inspectorLink(): string;
  close(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<StartedMockServer> {
  const host = options.host ?? '127.0.0.1';
  const keys = options.keys ?? DEV_KEYS;
  const [apiKey, apiSecret] = [...keys][0] ?? [];
  if (!apiKey) throw new ConfigError('at least one API key is required');
  const core = new MockCore(options);
  const extensions = [...(options.rtc === false ? [] : [createRtcExtension(core, options.rtc)]), ...(options.extensions?.(core) ?? [])];
  const links = new OneTimeLinks();
  const server = createHttpLayer({
    core,
    keys,
    extensions,
    links,
    services: {
      'livekit.RoomService': { ...roomService(core.rooms), ...roomServiceRpcOnly(core.rooms, core.ctx.clock, core.ctx.timing.roomRpcUnavailableMs) },
      'livekit.AgentDispatchService': agentDispatchService(core.rooms, core.ctx.clock, core.ctx.timing.roomRpcUnavailableMs),
      'livekit.Egress': egressService(core.ctx.clock, core.ctx.timing),
      'livekit.Ingress': ingressService(),
      'livekit.SIP': sipService(core.telephony, core.rooms, core.ctx.clock),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new ConfigError(`port ${options.port ?? 7880} on ${host} is already in use`) : e),
    );
    server.listen(options.port ?? 7880, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      core.stop();
      await Promise.all(extensions.map((e) => e.close?.()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })());
  return {
    kind: 'mock',
    url: `ws://${hostForUrl}:${port}`,
    wsUrl: `ws://${hostForUrl}:${port}`,
    httpUrl: `http://${hostForUrl}:${port}`,
    host,
    port,
    apiKey,
    apiSecret: apiSecret!,
    trace: core.trace,
    core,
    inspectorLink: () => `http://${hostForUrl}:${port}/_lab/#once=${links.issue()}`,
    close,
    dispose: close,
    [Symbol.asyncDispose]: close,
  };
}
