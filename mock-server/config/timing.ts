/**
 * Every timing rule of livekit-server v1.13.5 that shapes what a worker sees, by name.
 * REAL_TIMING holds the real server's values, read in livekit/livekit at tag v1.13.5 (pkg/agent/worker.go, pkg/agent/client.go,
 * pkg/service/agentservice.go, pkg/rtc/room.go, pkg/config/config.go; https://github.com/livekit/livekit/tree/v1.13.5)
 * and livekit/psrpc v0.7.2 (request timeout and claim short-circuit);
 * FAST_TIMING shortens the waits for CI while keeping their order (claim < answer window < register deadline).
 */
export interface TimingSettings {
  /** A worker must send `register` within this long after the socket opens (worker.go RegisterTimeout). */
  registerTimeoutMs: number;
  /** psrpc claim short-circuit: the wait between a job trigger and the AvailabilityRequest. */
  claimDelayMs: number;
  /** psrpc JobRequest deadline, from the trigger. The worker's answer window is this minus claimDelayMs (about 2.8 s). */
  jobRequestTimeoutMs: number;
  /** Availability answer timeout for SimulateJobRequest jobs, which run outside the psrpc deadline (AssignJobTimeout). */
  assignJobTimeoutMs: number;
  /** psrpc gives up after this long when no worker serves a job's topic ("no response from servers"). */
  noServerTimeoutMs: number;
  /** How often rooms are checked for closing (CloseIfEmpty ticker). */
  roomCheckIntervalMs: number;
  /** Default room timeouts in seconds (room.empty_timeout, room.departure_timeout). */
  emptyTimeoutSec: number;
  departureTimeoutSec: number;
  /** After DeleteDispatch, how long the server waits for the agent participant to leave before removing it. */
  agentLeaveWaitMs: number;
  /** ListDispatch/DeleteDispatch on a room that is not live fail with `unavailable` after this long (3 psrpc attempts of 1 s). */
  roomRpcUnavailableMs: number;
  /** WebSocket-level ping frames to workers. */
  wsPingIntervalMs: number;
  /**
   * The agent client's CheckEnabled round (client.go CheckEnabledTimeout): a room records the jobs of a launch
   * (and so knows its agent participants) only when the round that launch waited on ends. See EnabledCheck.
   */
  enabledCheckMs: number;
  /** How long a finished CheckEnabled answer is reused (client.go EnabledCacheTTL), unless a worker with a new key registers. */
  enabledCacheTtlMs: number;
  /**
   * room.go subscriberUpdateInterval: updates about participants that publish nothing (joined, active, left)
   * are batched and sent on this room ticker, which starts at room creation.
   */
  participantUpdateIntervalMs: number;
  /** room.go roomUpdateInterval: the Room proto (counts) is refreshed on this ticker, from room creation (RoomSnapshot). */
  roomUpdateIntervalMs: number;
}

export const REAL_TIMING: Readonly<TimingSettings> = Object.freeze({
  registerTimeoutMs: 10_000,
  claimDelayMs: 200,
  jobRequestTimeoutMs: 3_000,
  assignJobTimeoutMs: 10_000,
  noServerTimeoutMs: 1_000,
  roomCheckIntervalMs: 1_000,
  emptyTimeoutSec: 300,
  departureTimeoutSec: 20,
  agentLeaveWaitMs: 3_000,
  roomRpcUnavailableMs: 3_000,
  wsPingIntervalMs: 10_000,
  enabledCheckMs: 5_000,
  enabledCacheTtlMs: 60_000,
  participantUpdateIntervalMs: 3_000,
  roomUpdateIntervalMs: 5_000,
});

export const FAST_TIMING: Readonly<TimingSettings> = Object.freeze({
  registerTimeoutMs: 2_000,
  claimDelayMs: 0,
  jobRequestTimeoutMs: 1_500,
  assignJobTimeoutMs: 2_000,
  noServerTimeoutMs: 0,
  roomCheckIntervalMs: 100,
  emptyTimeoutSec: 5,
  departureTimeoutSec: 1,
  agentLeaveWaitMs: 500,
  roomRpcUnavailableMs: 100,
  wsPingIntervalMs: 10_000,
  enabledCheckMs: 1_000,
  enabledCacheTtlMs: 60_000,
  participantUpdateIntervalMs: 100,
  roomUpdateIntervalMs: 200,
});

export type TimingPreset = 'real' | 'fast';

export function resolveTiming(preset: TimingPreset = 'real', overrides: Partial<TimingSettings> = {}): TimingSettings {
  return { ...(preset === 'fast' ? FAST_TIMING : REAL_TIMING), ...overrides };
}

/** The load at or above which a worker attracts no jobs (agents.target_load / psrpc affinity). */
export const DEFAULT_TARGET_LOAD = 0.7;
