import { JobType, type Job } from '@livekit/protocol';
import type { AgentCoreContext } from '../agent/agent-context.ts';
import type { JobDispatcher } from '../agent/job-dispatcher.ts';
import type { WorkerPool } from '../agent/worker-pool.ts';
import type { DispatchRecord, Room } from './room.ts';
import type { Participant } from './participant.ts';

/**
 * Dispatch policy (room.go): which jobs each trigger launches. Every dispatch of the room fires for every
 * trigger; nothing is queued, so a job with no worker at that moment never exists.
 */
export class AgentLauncher {
  constructor(
    private readonly ctx: AgentCoreContext,
    private readonly dispatcher: JobDispatcher,
    private readonly pool: WorkerPool,
  ) {}

  /** Room construction or a dispatch added at runtime: JT_ROOM once per dispatch. */
  launchRoomJobs(room: Room, records: DispatchRecord[]): void {
    for (const record of records) this.#launch(room, record, JobType.JT_ROOM);
  }

  /** A dispatch added to a live room: JT_ROOM, then per existing participant JT_PUBLISHER (if publishing) and JT_PARTICIPANT. */
  launchForNewDispatch(room: Room, record: DispatchRecord): void {
    this.#launch(room, record, JobType.JT_ROOM);
    for (const p of room.participants.values()) {
      if (p.isDependent) continue;
      if (p.isPublisher) this.#launch(room, record, JobType.JT_PUBLISHER, p);
      this.#launch(room, record, JobType.JT_PARTICIPANT, p);
    }
  }

  /** A participant joined (JT_PARTICIPANT) or published its first track (JT_PUBLISHER). Agents and egress never trigger. */
  launchForParticipant(room: Room, participant: Participant, jobType: JobType): void {
    if (participant.isDependent) return;
    for (const record of room.dispatches.values()) this.#launch(room, record, jobType, participant);
  }

  /** DeleteDispatch: after its launches settle, terminate each of its jobs (JS_SUCCESS), and make its agents leave. */
  async terminateDispatchJobs(room: Room, record: DispatchRecord, removeAgent: (identity: string) => void): Promise<void> {
    await Promise.allSettled([...record.inFlight]);
    for (const job of record.dispatch.state?.jobs ?? []) {
      this.pool.findRunning(job.id)?.terminateJob(job.id, 'termination_requested');
      const identity = job.state?.participantIdentity;
      if (!identity || !room.participants.has(identity)) continue;
      await this.#waitForLeave(room, identity, this.ctx.timing.agentLeaveWaitMs);
      if (room.participants.has(identity)) removeAgent(identity);
    }
  }

  /** An agent participant left or was removed: its job ends JS_FAILED "agent worker left the room". */
  agentLeft(room: Room, identity: string): void {
    const jobId = room.agentJobs.get(identity);
    if (!jobId) return;
    room.agentJobs.delete(identity);
    this.pool.findRunning(jobId)?.terminateJob(jobId, 'agent_left_room');
  }

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
