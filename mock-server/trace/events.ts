/**
 * The trace: every message on every worker socket and every decision the server makes, as typed events.
 * The same event shapes come from the mock and from the wire tap in front of a real livekit-server,
 * so one assertion language serves both backends.
 */
export type JobTypeName = 'JT_ROOM' | 'JT_PUBLISHER' | 'JT_PARTICIPANT';
export type JobStatusName = 'JS_PENDING' | 'JS_RUNNING' | 'JS_SUCCESS' | 'JS_FAILED';
export type JsonObject = { [key: string]: unknown };

/**
 * How a job ended. Every job has exactly one.
 * - dropped: never offered to a worker (no matching worker, no capacity); `reason` says why.
 * - rejected: every eligible worker answered `available: false`.
 * - timed_out: the worker did not answer the AvailabilityRequest in time; not retried.
 * - declined: the worker answered `terminate: true` (JS_SUCCESS, no assignment).
 * - completed: the worker reported JS_SUCCESS / JS_FAILED with UpdateJobStatus.
 * - terminated: the server sent JobTermination (DeleteDispatch, agent left the room).
 * - orphaned: the worker's socket closed while the job ran; the real server forgets it.
 * - abandoned: the room closed or the server stopped while the job ran and nothing told the worker.
 */
export type JobOutcome =
  | 'dropped'
  | 'rejected'
  | 'timed_out'
  | 'declined'
  | 'completed'
  | 'terminated'
  | 'orphaned'
  | 'abandoned';

export interface JobRef {
  jobId: string;
  room: string;
  jobType: JobTypeName;
  agentName: string;
  namespace: string;
  dispatchId: string;
  participantIdentity?: string;
}

export type TraceEventBody =
  | { kind: 'worker.connected'; socketId: string }
  | { kind: 'worker.message'; socketId: string; workerId?: string; direction: 'in' | 'out'; case: string; message: JsonObject }
  | {
      kind: 'worker.registered';
      socketId: string;
      workerId: string;
      agentName: string;
      namespace: string;
      jobType: JobTypeName;
      deployment: string;
      version: string;
    }
  | { kind: 'worker.status'; workerId: string; status: 'WS_AVAILABLE' | 'WS_FULL'; load: number }
  | { kind: 'worker.violation'; socketId: string; workerId?: string; reason: string }
  | { kind: 'worker.ignored'; socketId: string; workerId?: string; reason: string }
  | { kind: 'worker.closed'; socketId: string; workerId?: string; reason: string }
  | { kind: 'room.created'; room: string; roomSid: string; via: string }
  | { kind: 'room.closed'; room: string; roomSid: string; reason: string }
  | { kind: 'room.updated'; room: string; metadata: string }
  | { kind: 'dispatch.created'; room: string; dispatchId: string; agentName: string; metadata: string; source: DispatchSource }
  | { kind: 'dispatch.deleted'; room: string; dispatchId: string; agentName: string }
  | {
      kind: 'participant.joined';
      room: string;
      identity: string;
      participantSid: string;
      participantKind: string;
      virtual: boolean;
    }
  | { kind: 'participant.published'; room: string; identity: string; trackSid: string; first: boolean }
  | { kind: 'participant.updated'; room: string; identity: string }
  | { kind: 'participant.left'; room: string; identity: string; participantSid: string; reason: string }
  | ({ kind: 'job.created' } & JobRef)
  | { kind: 'job.offered'; jobId: string; workerId: string }
  | { kind: 'job.rejected'; jobId: string; workerId: string }
  | { kind: 'job.assigned'; jobId: string; workerId: string; participantIdentity: string }
  | { kind: 'job.status'; jobId: string; workerId: string; status: JobStatusName; error: string }
  | { kind: 'job.ended'; jobId: string; workerId?: string; outcome: JobOutcome; status?: JobStatusName; reason: string }
  | { kind: 'api.call'; service: string; method: string; status: number; code?: string; room?: string }
  | { kind: 'mark'; name: string; source: string; jobId?: string; workerId?: string; data: JsonObject }
  /**
   * A scenario's listening participant (a real WebRTC client) decoded this many frames of a track: 1, 10, 50, 100, …
   * `hz`: with energy, the pitch of those frames so far (by zero crossings), so an echo of a tone can be told apart.
   */
  | { kind: 'media.received'; room: string; identity: string; from: string; track: 'audio' | 'video'; frames: number; withEnergy: boolean; hz?: number }
  | { kind: 'fault.applied'; fault: string; target: string }
  | { kind: 'log'; level: 'debug' | 'info' | 'warn'; message: string }
  /** The trace's retention evicted events `fromSeq`..`toSeq` (oldest first) to stay within its bounds. */
  | { kind: 'trace.gap'; fromSeq: number; toSeq: number; events: number; bytes: number; reason: string }

  // The simulated SIP bridge (mock-server/sip): calls, their status, DTMF, transfers, and why a call got no agent
  | { kind: 'sip.call.created'; callId: string; direction: 'inbound' | 'outbound'; from: string; to: string; room: string; identity: string; trunkId: string; ruleId: string }
  | { kind: 'sip.call.rejected'; callId: string; from: string; to: string; result: 'dropped' | 'pin_required' | 'error' | 'unavailable'; reason: string }
  | { kind: 'sip.call.status'; callId: string; room: string; identity: string; status: string }
  | { kind: 'sip.call.agents'; callId: string; room: string; agents: string[]; roomCreated: boolean; outcome: 'dispatched' | 'default_dispatch' | 'none'; reason: string }
  | { kind: 'sip.call.ended'; callId: string; room: string; identity: string; by: 'remote' | 'livekit' | 'timeout' | 'failure' | 'transfer'; sipCode?: number; reason: string }
  | { kind: 'sip.dtmf'; callId: string; room: string; identity: string; direction: 'from_phone' | 'to_phone'; digit: string; code: number }
  | { kind: 'sip.transfer'; callId: string; room: string; identity: string; transferTo: string; result: 'accepted' | 'failed'; sipCode?: number };

export type DispatchSource = 'default' | 'create_room' | 'token' | 'api';

export type TraceEvent = TraceEventBody & { seq: number; at: number };
export type TraceEventKind = TraceEvent['kind'];
export type TraceEventOf<K extends TraceEventKind> = Extract<TraceEvent, { kind: K }>;
