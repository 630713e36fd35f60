import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Fault } from '../mock-server/faults/fault.ts';

/**
 * A TCP proxy that puts the lab's faults in front of any backend (a livekit-server binary, a container, a
 * cluster node), toxiproxy-style. It sees bytes, not messages, so it offers what TCP can do:
 * - latency: hold each chunk `ms` in one direction ('up' = client → server, 'down' = server → client) or both;
 * - reset: drop every open connection with a TCP RST (the client sees an abnormal 1006 close);
 * - close: end every open connection with a FIN (no WebSocket close frame, so also 1006 to a ws client);
 * - refuse: reset new connections as they arrive, until removed.
 * latency and refuse stay until removed (or `reset()`); reset and close act once on the connections open now.
 * Binds 127.0.0.1.
 */
export type ProxyFault =
  | { name: string; type: 'latency'; ms: number; direction?: 'up' | 'down' | 'both' }
  | { name: string; type: 'reset' }
  | { name: string; type: 'close' }
  | { name: string; type: 'refuse' };

export interface FaultProxyOptions {
  upstreamHost?: string;
  upstreamPort: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** When the last chunk each way will have been written, so delayed chunks keep their order. */
  due: { up: number; down: number };
}

export class FaultProxy {
  readonly #faults = new Map<string, ProxyFault>();
  readonly #pairs = new Set<Pair>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly upstream: { host: string; port: number },
  ) {}

  static async start(opts: FaultProxyOptions): Promise<FaultProxy> {
    const host = opts.host ?? '127.0.0.1';
    let proxy!: FaultProxy;
    const server = createServer((client) => proxy.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    proxy = new FaultProxy(server, host, port, { host: opts.upstreamHost ?? '127.0.0.1', port: opts.upstreamPort });
    return proxy;
  }

  get wsUrl(): string {
    return `ws://${this.host}:${this.port}`;
  }

  get httpUrl(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Connections open through the proxy now. */
  get openConnections(): number {
    return this.#pairs.size;
  }

  get acceptedConnections(): number {
    return this.#accepted;
  }

  list(): ProxyFault[] {
    return [...this.#faults.values()];
  }

  /** Adds a standing fault (latency, refuse) or acts at once (reset, close). Returns connections affected by an action. */
  add(fault: ProxyFault): number {
    if (fault.type === 'reset' || fault.type === 'close') {
      const pairs = [...this.#pairs];
      for (const p of pairs) this.#drop(p, fault.type === 'reset');
      return pairs.length;
    }
    if (fault.type === 'latency' && (!Number.isFinite(fault.ms) || fault.ms < 0)) throw new RangeError(`latency fault "${fault.name}": ms must be >= 0`);
    this.#faults.set(fault.name, fault);
    return 0;
  }

  /**
   * The lab's own fault objects, as far as a byte proxy can carry them: a delay becomes latency in its
   * direction (every message, since the proxy cannot tell cases apart), an abrupt close a reset, a clean close
   * a FIN. Message-selective faults, drop and stall_availability need the mock (or a wire tap) and are refused.
   */
  addLabFault(fault: Fault): number {
    if (fault.type === 'delay') {
      if (fault.messages?.length) throw new RangeError(`fault "${fault.name}": the TCP proxy cannot select messages; use the mock for per-message delays`);
      const direction = fault.direction === 'in' ? 'up' : fault.direction === 'out' ? 'down' : 'both';
      return this.add({ name: fault.name, type: 'latency', ms: fault.ms, direction });
    }
    if (fault.type === 'close') return this.add({ name: fault.name, type: fault.abrupt ? 'reset' : 'close' });
    throw new RangeError(`fault "${fault.name}" (${fault.type}) needs the mock: a TCP proxy cannot apply it`);
  }

  remove(name: string): boolean {
    return this.#faults.delete(name);
  }

  /** Removes every standing fault in one call. */
  reset(): void {
    this.#faults.clear();
  }

  async close(): Promise<void> {
    this.#faults.clear();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const p of [...this.#pairs]) this.#drop(p, true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #latency(direction: 'up' | 'down'): number {
    let ms = 0;
    for (const f of this.#faults.values()) {
      if (f.type === 'latency' && (f.direction ?? 'both') !== (direction === 'up' ? 'down' : 'up')) ms = Math.max(ms, f.ms);
    }
    return ms;
  }

  #accept(client: Socket): void {
    this.#accepted++;
    client.on('error', () => undefined);
    if ([...this.#faults.values()].some((f) => f.type === 'refuse')) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.upstream.port, this.upstream.host);
    upstream.on('error', () => undefined);
    const pair: Pair = { client, upstream, due: { up: 0, down: 0 } };
    this.#pairs.add(pair);
    const pipe = (from: Socket, to: Socket, direction: 'up' | 'down') => {
      from.on('data', (chunk: Buffer) => {
        const ms = this.#latency(direction);
        const due = Math.max(Date.now() + ms, pair.due[direction]);
        pair.due[direction] = due;
        if (due <= Date.now()) {
          if (!to.destroyed) to.write(chunk);
          return;
        }
        // pause reading while chunks wait, so a slow direction cannot buffer without bound
        from.pause();
        const t = setTimeout(() => {
          this.#timers.delete(t);
          if (!to.destroyed) to.write(chunk);
          if (!from.destroyed) from.resume();
        }, due - Date.now());
        this.#timers.add(t);
      });
      from.on('end', () => {
        const wait = Math.max(0, pair.due[direction] - Date.now());
        const t = setTimeout(() => {
          this.#timers.delete(t);
          if (!to.destroyed) to.end();
        }, wait);
        this.#timers.add(t);
      });
      from.on('close', () => {
        if (from.destroyed && !to.destroyed && (from as Socket & { _hadError?: boolean })._hadError) to.resetAndDestroy();
        if (client.destroyed && upstream.destroyed) this.#pairs.delete(pair);
      });
    };
    pipe(client, upstream, 'up');
    pipe(upstream, client, 'down');
  }

  #drop(pair: Pair, abrupt: boolean): void {
    this.#pairs.delete(pair);
    if (abrupt) {
      if (!pair.client.destroyed) pair.client.resetAndDestroy();
      if (!pair.upstream.destroyed) pair.upstream.resetAndDestroy();
    } else {
      pair.client.end();
      pair.upstream.end();
      const t = setTimeout(() => {
        this.#timers.delete(t);
        pair.client.destroy();
        pair.upstream.destroy();
      }, 1_000);
      this.#timers.add(t);
    }
  }
}
