import type { Trace } from '../mock-server/trace/trace.ts';
import type { LiveKitTarget, TargetKind } from './livekit-target.ts';
import { toHttpUrl, toWsUrl } from './urls.ts';
import { startWireTap, type WireTap } from './wire-tap.ts';

export interface ExternalTargetOptions {
  /** The server's URL: ws(s):// or http(s):// (a self-hosted cluster, LiveKit Cloud). */
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** A server the lab does not run; workers reach it through a local wire tap, which supplies the trace. */
export class ExternalTarget implements LiveKitTarget {
  readonly kind: TargetKind = 'external';
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly workerWsUrl: string;
  #disposed?: Promise<void>;

  constructor(
    opts: ExternalTargetOptions,
    private readonly tap: WireTap,
  ) {
    this.wsUrl = toWsUrl(opts.url);
    this.httpUrl = toHttpUrl(opts.url);
    this.apiKey = opts.apiKey;
    this.apiSecret = opts.apiSecret;
    this.workerWsUrl = tap.url;
  }

  readonly apiKey: string;
  readonly apiSecret: string;

  get trace(): Trace {
    return this.tap.trace;
  }

  dispose(): Promise<void> {
    this.#disposed ??= this.tap.close();
    return this.#disposed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

export async function connectExternalTarget(opts: ExternalTargetOptions): Promise<ExternalTarget> {
  return new ExternalTarget(opts, await startWireTap({ upstreamUrl: opts.url }));
}
