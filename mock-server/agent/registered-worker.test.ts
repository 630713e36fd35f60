import {
  JobStatus,
  JobType,
  MigrateJobRequest,
  ParticipantInfo,
  Room,
  SimulateJobRequest,
  UpdateJobStatus,
  UpdateWorkerStatus,
  WorkerStatus,
} from '@livekit/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REAL_TIMING } from '../config/timing.ts';
import { roomSpec, startCoreKit, type CoreKit, type MemoryAnswer, type MemoryWorker } from '../server/core-test-kit.ts';

const accept: MemoryAnswer = () => ({});

describe('messages from a registered worker (ManualClock, in-memory socket)', () => {
  let kit: CoreKit;
  beforeEach(() => {
    kit = startCoreKit({ seed: 42 });
  });
  afterEach(() => kit.core.stop());

  const events = <K extends Parameters<CoreKit['core']['trace']['events']>[0]>(kind: K) => kit.core.trace.events(kind);
  const statuses = (workerId: string) => events('worker.status').filter((e) => e.workerId === workerId);
  /** A room whose JT_ROOM job the worker has accepted; returns the job id. */
  const assignedJob = async (w: MemoryWorker, room = 'r1'): Promise<string> => {
    kit.core.rooms.getOrCreate(roomSpec(room), 'create_room');
    await kit.clock.advance(REAL_TIMING.claimDelayMs);
    const [a] = w.conn.of('assignment');
    expect(a, 'no assignment after the claim delay').toBeDefined();
    return a.job!.id;
  };

  it('UpdateWorkerStatus: status optional (kept when absent), load always overwritten (absent = 0), no reply', () => {
    const w = kit.worker();
    const registered = () => kit.core.pool.all()[0];
    expect(registered()).toMatchObject({ status: WorkerStatus.WS_AVAILABLE, load: 0 });
    w.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ status: WorkerStatus.WS_FULL, load: 0.375, jobCount: 9 }) });
    expect(registered()).toMatchObject({ status: WorkerStatus.WS_FULL, load: 0.375 });
    w.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ load: 0.25 }) });
    expect(registered()).toMatchObject({ status: WorkerStatus.WS_FULL, load: 0.25 });
    w.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ status: WorkerStatus.WS_AVAILABLE }) });
    expect(registered()).toMatchObject({ status: WorkerStatus.WS_AVAILABLE, load: 0 });
    expect(statuses(w.workerId).map((s) => [s.status, s.load])).toEqual([
      ['WS_FULL', 0.375],
      ['WS_FULL', 0.25],
      ['WS_AVAILABLE', 0],
    ]);
    expect(w.conn.cases()).toEqual(['register']);
  });

  it('UpdateJobStatus for an unknown job is ignored and the socket stays open', () => {
    const w = kit.worker();
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: 'AJ_unknown', status: JobStatus.JS_SUCCESS }) });
    expect(events('worker.ignored').map((e) => e.reason)).toEqual(['update_job for unknown job AJ_unknown']);
    expect(events('job.ended')).toHaveLength(0);
    expect(w.session.isOpen).toBe(true);
  });

  it('UpdateJobStatus JS_SUCCESS ends a running job as completed; a later update is ignored', async () => {
    const w = kit.worker({}, accept);
    const jobId = await assignedJob(w);
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId, status: JobStatus.JS_RUNNING }) });
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId, status: JobStatus.JS_SUCCESS }) });
    const [ended] = kit.ended().filter((e) => e.jobId === jobId);
    expect(ended).toMatchObject({ outcome: 'completed', status: 'JS_SUCCESS', workerId: w.workerId });
    expect(events('job.status').map((s) => s.status)).toEqual(['JS_RUNNING', 'JS_SUCCESS']);
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId, status: JobStatus.JS_FAILED }) });
    expect(kit.ended().filter((e) => e.jobId === jobId)).toHaveLength(1);
    expect(events('worker.ignored')).toHaveLength(1);
  });

  it('UpdateJobStatus JS_FAILED with an error ends the job completed/JS_FAILED with the error in the reason', async () => {
    const w = kit.worker({}, accept);
    const jobId = await assignedJob(w);
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId, status: JobStatus.JS_FAILED, error: 'boom' }) });
    const [ended] = kit.ended().filter((e) => e.jobId === jobId);
    expect(ended).toMatchObject({ outcome: 'completed', status: 'JS_FAILED' });
    expect(ended.reason).toContain('boom');
  });

  it('MigrateJobRequest is a no-op: no reply, socket open, job untouched', async () => {
    const w = kit.worker({}, accept);
    const jobId = await assignedJob(w);
    w.send({ case: 'migrateJob', value: new MigrateJobRequest({ jobIds: [jobId] }) });
    await kit.clock.advance(0);
    expect(w.conn.cases()).toEqual(['register', 'availability', 'assignment']);
    expect(w.session.isOpen).toBe(true);
    expect(kit.ended().find((e) => e.jobId === jobId)).toBeUndefined();
  });

  it('SimulateJobRequest without a participant: JT_ROOM to the same worker, whatever its type', async () => {
    const other = kit.worker({ type: JobType.JT_ROOM }, accept);
    const w = kit.worker({ agentName: 'sim', type: JobType.JT_PARTICIPANT, namespace: 'ns' }, accept);
    w.send({ case: 'simulateJob', value: new SimulateJobRequest({ type: JobType.JT_PUBLISHER, room: new Room({ name: 'sim-room', sid: 'RM_sim' }) }) });
    const [req] = w.conn.of('availability');
    expect(req.job!.type).toBe(JobType.JT_ROOM);
    expect(req.job).toMatchObject({ agentName: 'sim', namespace: 'ns', dispatchId: '' });
    expect(req.job!.id).toMatch(/^AJ_/);
    expect(req.job!.room!.name).toBe('sim-room');
    await kit.clock.advance(0);
    expect(w.conn.of('assignment')).toHaveLength(1);
    expect(other.conn.of('availability')).toHaveLength(0);
  });

  it('SimulateJobRequest with a participant: JT_PUBLISHER', () => {
    const w = kit.worker({ type: JobType.JT_ROOM });
    w.send({
      case: 'simulateJob',
      value: new SimulateJobRequest({ room: new Room({ name: 'sim-room' }), participant: new ParticipantInfo({ identity: 'alice' }) }),
    });
    const [req] = w.conn.of('availability');
    expect(req.job!.type).toBe(JobType.JT_PUBLISHER);
    expect(req.job!.participant!.identity).toBe('alice');
  });

  it('SimulateJobRequest without a room is refused with a clear reason; the worker and server live on', async () => {
    const w = kit.worker({}, accept);
    w.send({ case: 'simulateJob', value: new SimulateJobRequest({ type: JobType.JT_ROOM }) });
    expect(events('worker.ignored').map((e) => e.reason)).toEqual(['simulate_job without a room (the real server would crash on it)']);
    expect(w.conn.of('availability')).toHaveLength(0);
    expect(events('job.created')).toHaveLength(0);
    // still serving
    await assignedJob(w, 'after');
  });
});
