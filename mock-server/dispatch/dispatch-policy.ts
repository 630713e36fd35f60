import { JobType, type Job, type RoomAgentDispatch } from '@livekit/protocol';
import type { AgentCoreContext } from '../agent/agent-context.ts';
import type { WorkerPool } from '../agent/worker-pool.ts';
import { isValidDeployment } from '../config/limits.ts';
import type { Participant } from '../rooms/participant.ts';
import type { DispatchRecord, Room } from '../rooms/room.ts';
import type { DispatchSource } from '../trace/events.ts';
import type { JobDispatcher } from './job-dispatcher.ts';

/** A dispatch as a room stores it (RoomAgentDispatch, or CreateDispatch's fields). */
export type DispatchInput = Parameters<Room['addDispatch']>[1];

/** The backward-compatible default dispatch `{}`: any unnamed worker (room.go createAgentDispatchesFromRoomAgent). */
const DEFAULT_DISPATCH = { agentName: '', metadata: '', deployment: '', attributes: {} } as unknown as RoomAgentDispatch;

/**
 * The dispatch policy of livekit-server v1.13.5 (pkg/rtc/room.go), read top to bottom: which dispatches a room
 * has and which jobs each trigger launches. Every dispatch of the room fires for every trigger; nothing is
 * queued, so a job with no worker at that moment never exists. What happens to one launched job (namespace
 * fan-out, key match, load rule, claim delay, weighted retry, deadline) is job-dispatcher.ts; when the room
 * records it is enabled-check.ts; every end reason is end-reasons.ts. README "Dispatch rules" lists them all.
 */
export class DispatchPolicy {
  constructor(
    private readonly ctx: AgentCoreContext,
    private readonly dispatcher: JobDispatcher,
    private readonly pool: WorkerPool,
  ) {}

  /**
   * Room construction (room.go NewRoom → createAgentDispatchesFromRoomAgent, launchRoomAgents): the request's
   * agents (CreateRoom `agents`, or the join token's `roomConfig.agents`) or, when there are none, the default
   * unnamed dispatch `{}`; a dispatch with an invalid deployment is skipped with a warning; then JT_ROOM once
   * per dispatch. Called only when the request creates the room: an existing room ignores the request's
   * agents (roommanager.go getOrCreateRoom, see RoomManager.getOrCreate).
   */
  roomCreated(room: Room, agents: readonly RoomAgentDispatch[], via: DispatchSource): void {
    const explicit = agents.length > 0;
    const records: DispatchRecord[] = [];
    for (const ad of explicit ? agents : [DEFAULT_DISPATCH]) {
      if (!isValidDeployment(ad.deployment ?? '')) {
        this.ctx.trace.record({ kind: 'log', level: 'warn', message: `room "${room.name}": dispatch for "${ad.agentName}" skipped: invalid deployment "${ad.deployment}"` });
        continue;
      }
      records.push(this.#store(room, ad, explicit ? via : 'default'));
    }
    for (const record of records) this.#launch(room, record, JobType.JT_ROOM);
  }

  /**
   * CreateDispatch on a live room (room.go AddAgentDispatch): JT_ROOM, then per existing participant that is
   * not dependent JT_PUBLISHER (if publishing) and JT_PARTICIPANT.
   */
  dispatchAdded(room: Room, ad: DispatchInput): DispatchRecord {
    const record = this.#store(room, ad, 'api');
    this.#launch(room, record, JobType.JT_ROOM);
    for (const p of room.participants.values()) {
      if (p.isDependent) continue;
      if (p.isPublisher) this.#launch(room, record, JobType.JT_PUBLISHER, p);
      this.#launch(room, record, JobType.JT_PARTICIPANT, p);
    }
    return record;
  }

  /** A participant joined (room.go Join): JT_PARTICIPANT per dispatch, at join, before it is active. */
  participantJoined(room: Room, participant: Participant): void {
    this.#launchForParticipant(room, participant, JobType.JT_PARTICIPANT);
  }

  /** The first track of this session (room.go onTrackPublished): JT_PUBLISHER per dispatch; later tracks add none. */
  firstTrackPublished(room: Room, participant: Participant): void {
    this.#launchForParticipant(room, participant, JobType.JT_PUBLISHER);
  }

  /**
   * DeleteDispatch (room.go DeleteAgentDispatch): after its launches settle, terminate each of its jobs
   * (JS_SUCCESS), wait up to agentLeaveWaitMs (3 s) for each job's agent to leave, then remove it.
   */
  async dispatchDeleted(room: Room, record: DispatchRecord, removeAgent: (identity: string) => void): Promise<void> {
    await Promise.allSettled([...record.inFlight]);
    for (const job of record.dispatch.state?.jobs ?? []) {
      this.pool.findRunning(job.id)?.terminateJob(job.id, 'termination_requested');
      const identity = job.state?.participantIdentity;
      if (!identity || !room.participants.has(identity)) continue;
      await this.#waitForLeave(room, identity, this.ctx.timing.agentLeaveWaitMs);
      if (room.participants.has(identity)) removeAgent(identity);
    }
  }

  /**
   * An agent participant left or was removed, room close included (room.go RemoveParticipant over
   * agentParticipants): its job ends JS_FAILED "agent worker left the room". Only jobs the room has recorded
   * count, so within the 5 s CheckEnabled round nothing terminates (enabled-check.ts).
   */
  agentLeft(room: Room, identity: string): void {
    const jobId = room.agentJobs.get(identity);
    if (!jobId) return;
    room.agentJobs.delete(identity);
    this.pool.findRunning(jobId)?.terminateJob(jobId, 'agent_left_room');
  }

  /** Agents and egress (by kind or grant) never trigger (room.go launchTargetAgents, participant.go IsDependent). */
  #launchForParticipant(room: Room, participant: Participant, jobType: JobType): void {
    if (participant.isDependent) return;
    for (const record of room.dispatches.values()) this.#launch(room, record, jobType, participant);
  }

  #store(room: Room, ad: DispatchInput, source: DispatchSource): DispatchRecord {
    const record = room.addDispatch(this.ctx.ids.next('AD_'), ad, this.ctx.clock.now());
    const d = record.dispatch;
    this.ctx.trace.record({ kind: 'dispatch.created', room: room.name, dispatchId: d.id, agentName: d.agentName, metadata: d.metadata, source });
    return record;
  }

  /** room.go launchJob: the room records the jobs the launch returns (handleNewJobs), unless it closed meanwhile. */
  #launch(room: Room, record: DispatchRecord, jobType: JobType, participant?: Participant): void {
    const d = record.dispatch;
    const launch = this.dispatcher
      .launch({
        jobType,
        room: room.toProto(),
        participant: participant?.toProto(),
        dispatchId: d.id,
        agentName: d.agentName,
        metadata: d.metadata,
        deployment: d.deployment,
        attributes: d.attributes,
      })
      .then((jobs: Job[]) => {
        if (room.closed) return;
        for (const job of jobs) room.storeJob(d, job);
      });
    record.inFlight.add(launch);
    void launch.finally(() => record.inFlight.delete(launch));
  }

  async #waitForLeave(room: Room, identity: string, maxMs: number): Promise<void> {
    const step = Math.max(10, Math.min(100, maxMs));
    for (let waited = 0; waited < maxMs && room.participants.has(identity); waited += step) await this.ctx.clock.sleep(step);
  }
}
