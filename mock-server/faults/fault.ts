/**
 * Faults are small named data (toxiproxy-style): added, listed, removed, reset. The same objects come
 * from scenarios and from the control API.
 */
export type FaultDirection = 'in' | 'out' | 'both';

/** Which worker sockets a fault applies to; empty = all. */
export interface FaultTarget {
  workerId?: string;
  agentName?: string;
}

export type FaultSpec =
  /** Hold each matching message for `ms` before it is delivered. */
  | { type: 'delay'; direction: FaultDirection; ms: number; messages?: string[] }
  /** Swallow matching messages (`messages` = oneof cases such as "availability"; empty = all). */
  | { type: 'drop'; direction: FaultDirection; messages?: string[] }
  /** The worker's availability answers never arrive, so offers time out. */
  | { type: 'stall_availability' }
  /** Close the socket now: `abrupt` drops TCP with no close frame (as livekit-server does), otherwise a clean 1000 close. */
  | { type: 'close'; abrupt: boolean };

export type Fault = FaultSpec & { name: string; target?: FaultTarget };
