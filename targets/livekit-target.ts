import type { TraceEvent, TraceEventBody } from '../mock-server/trace/events.ts';

/** Which kind of server a target is; scenarios and the differential check branch on capabilities, not on this. */
export type TargetKind = 'mock' | 'livekit-binary' | 'livekit-container' | 'livekit-cluster' | 'external';

/**
 * Anything a scenario can run against: the in-process mock, a livekit-server binary, a container,
 * a two-node cluster or an external URL. Started targets are disposable (`await using`).
 */
export interface LiveKitTarget extends AsyncDisposable {
  readonly kind: TargetKind;
  /** ws://host:port: what workers and clients connect to (workers append `/agent`). */
  readonly wsUrl: string;
  /** http://host:port: Twirp and health. */
  readonly httpUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The server's trace: recorded by the mock itself, or by the wire tap in front of a real server. */
  readonly trace: TargetTrace;
  /** Optional URL a worker should use instead of wsUrl (a wire tap or fault proxy in front of the server). */
  readonly workerWsUrl?: string;
  dispose(): Promise<void>;
}

/** Read access to a target's trace events (what assertions and the differential check consume). */
export interface TargetTrace {
  events(): TraceEvent[];
  onEvent(listener: (event: TraceEvent) => void): () => void;
  /** Lets the harness add what it observed itself (Twirp calls, participant events) to the same trace. */
  record(event: TraceEventBody): TraceEvent;
}
