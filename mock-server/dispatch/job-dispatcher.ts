import { Job, type JobType, type ParticipantInfo, type Room } from '@livekit/protocol';
import type { AgentCoreContext } from '../agent/agent-context.ts';
import { jobTypeName } from '../agent/job-types.ts';
import type { WorkerKey } from '../agent/worker-key.ts';
import type { WorkerPool } from '../agent/worker-pool.ts';
import type { EnabledCheck } from './enabled-check.ts';
import * as why from './end-reasons.ts';
import { dispatchNamespaces } from './namespaces.ts';
import { claimAffinity, selectWeightedByLoad } from './worker-selection.ts';

/** What a room asks for when a trigger fires (rtc.Room launchJob → agent.Client.LaunchJob). */
export interface LaunchRequest {
  jobType: JobType;
  room: Room;
  participant?: ParticipantInfo;
  dispatchId: string;
  agentName: string;
  metadata: string;
  deployment: string;
  attributes: Record<string, string>;
}

/**
 * The dispatch path of one launch, in the order livekit-server v1.13.5 runs it:
 * 1. fan out per namespace (namespaces.ts; pkg/agent/client.go LaunchJob/getDispatcher), one job each;
 * 2. exact key match: only workers of (agent name, namespace, type, deployment) (pkg/service/agentservice.go
 *    workerKey); none → after the psrpc no-server wait (1 s) dropped;
 * 3. the load rule: claim affinity Σ max(0, 0.7 − load) must be > 0 (worker-selection.ts claimAffinity;
 *    agentservice.go JobRequestAffinity), else dropped at once;
 * 4. the 200 ms psrpc claim delay, then worker.go AssignJob on workers drawn by weight 1 − load
 *    (agentservice.go JobRequest / selectWorkerWeightedByLoad): `available: false` or a closed socket tries
 *    the next untried worker; a decline ends the job; the request deadline (3 s from the trigger, so about
 *    2.8 s to answer) is not retried.
 * Returns the jobs the room keeps in its dispatch state (assigned or declined).
 */
export class JobDispatcher {
  constructor(
    private readonly ctx: AgentCoreContext,
    private readonly pool: WorkerPool,
    private readonly enabled: EnabledCheck,
  ) {}

  /**
   * Resolves (and so lets the room record the jobs) only when both the job requests and the CheckEnabled
   * round this launch waited on are over: LaunchJob returns after the round, see EnabledCheck.
   */
  async launch(req: LaunchRequest): Promise<Job[]> {
    const round = this.enabled.roundEnd();
    const [jobs] = await Promise.all([this.#launch(req), round]);
    return jobs;
  }

  async #launch(req: LaunchRequest): Promise<Job[]> {
    const triggeredAt = this.ctx.clock.now();
    const namespaces = dispatchNamespaces(this.pool.keys(), req.jobType, req.agentName);
    if (!namespaces?.length) {
      // The real server creates no job at all here; the lab records one so the drop can be explained.
      const job = this.#newJob(req, '');
      const key = this.#key(req, '');
      this.ctx.ledger.ended(job.id, 'dropped', why.noMatchingWorker(key, this.pool.all()));
      return [];
    }
    const jobs = await Promise.all(namespaces.map((ns) => this.#request(this.#newJob(req, ns), this.#key(req, ns), triggeredAt)));
    return jobs.filter((j): j is Job => j !== undefined);
  }

  #key(req: LaunchRequest, namespace: string): WorkerKey {
    return { agentName: req.agentName, namespace, jobType: req.jobType, deployment: req.deployment };
  }

  #newJob(req: LaunchRequest, namespace: string): Job {
    const job = new Job({
      id: this.ctx.ids.next('AJ_'),
      dispatchId: req.dispatchId,
      type: req.jobType,
      room: req.room,
      participant: req.participant,
      namespace,
      agentName: req.agentName,
      metadata: req.metadata,
      deployment: req.deployment,
      attributes: req.attributes,
    });
    this.ctx.ledger.created({
      jobId: job.id,
      room: req.room.name,
      jobType: jobTypeName(req.jobType),
      agentName: req.agentName,
      namespace,
      dispatchId: req.dispatchId,
      ...(req.participant ? { participantIdentity: req.participant.identity } : {}),
    });
    return job;
  }

  async #request(job: Job, key: WorkerKey, triggeredAt: number): Promise<Job | undefined> {
    const { ctx } = this;
    const drop = (reason: string) => void ctx.ledger.ended(job.id, 'dropped', reason);
    if (this.pool.workersFor(key).length === 0) {
      await ctx.clock.sleep(ctx.timing.noServerTimeoutMs);
      return drop(why.noMatchingWorker(key, this.pool.all()));
    }
    if (claimAffinity(this.pool.workersFor(key), ctx.targetLoad) <= 0) {
      return drop(why.noCapacity(key, this.pool.workersFor(key), ctx.targetLoad));
    }
    await ctx.clock.sleep(ctx.timing.claimDelayMs);
    const deadline = triggeredAt + ctx.timing.jobRequestTimeoutMs;
    const attempted = new Set<string>();
    let rejections = 0;
    for (;;) {
      const selection = selectWeightedByLoad(this.pool.workersFor(key), attempted, ctx.random);
      if ('none' in selection) {
        if (selection.none === 'no_capacity') return drop(why.noWeight());
        if (rejections > 0) return void ctx.ledger.ended(job.id, 'rejected', why.allRejected(rejections));
        return drop(why.noMatchingWorker(key, this.pool.all()));
      }
      const worker = selection.worker;
      attempted.add(worker.workerId);
      const outcome = await worker.assignJob(job, Math.max(0, deadline - ctx.clock.now()));
      switch (outcome.kind) {
        case 'accepted':
          return outcome.job;
        case 'declined':
          ctx.ledger.ended(job.id, 'declined', why.DECLINED, {
            workerId: worker.workerId,
            status: 'JS_SUCCESS',
          });
          return outcome.job;
        case 'unavailable':
          rejections++;
          continue;
        case 'closed':
          continue;
        case 'timeout':
          return void ctx.ledger.ended(job.id, 'timed_out', why.answerTimedOut(worker.workerId, outcome.waitedMs), { workerId: worker.workerId });
        case 'duplicate':
          return drop(why.duplicateOffer(job.id, worker.workerId));
      }
    }
  }
}
