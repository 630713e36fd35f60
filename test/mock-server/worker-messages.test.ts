import {
  JobStatus,
  JobType,
  MigrateJobRequest,
  ParticipantInfo,
  Room,
  SimulateJobRequest,
  UpdateJobStatus,
  UpdateWorkerStatus,
  WorkerPing,
  WorkerStatus,
  protoInt64,
} from '@livekit/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RawWorker } from '../support/raw-worker.ts';
import { received, startLab, type Lab } from './harness.ts';

/** Proves the socket is open and every earlier message was handled: a ping round-trip. */
async function roundTrip(w: RawWorker): Promise<void> {
  const n = w.of('pong').length;
  w.send({ case: 'ping', value: new WorkerPing({ timestamp: protoInt64.parse(n) }) });
  await received(w, 'pong', n + 1);
}

describe('messages from a registered worker', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
  });
  afterEach(() => lab.close());

  const statuses = (workerId: string) => lab.events('worker.status').filter((e) => e.workerId === workerId);

  it('UpdateWorkerStatus: status optional (kept when absent), load always overwritten (absent = 0), no reply', async () => {
    const w = await lab.worker();
    const session = () => lab.server.core.pool.all()[0];
    expect(session()).toMatchObject({ status: WorkerStatus.WS_AVAILABLE, load: 0 });
    w.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ status: WorkerStatus.WS_FULL, load: 0.375, jobCount: 9 }) });
    await roundTrip(w);
    expect(session()).toMatchObject({ status: WorkerStatus.WS_FULL, load: 0.375 });
    w.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ load: 0.25 }) });
    await roundTrip(w);
    expect(session()).toMatchObject({ status: WorkerStatus.WS_FULL, load: 0.25 });
    w.send({ case: 'updateWorker', value: new UpdateWorkerStatus({ status: WorkerStatus.WS_AVAILABLE }) });
    await roundTrip(w);
    expect(session()).toMatchObject({ status: WorkerStatus.WS_AVAILABLE, load: 0 });
    expect(statuses(w.workerId).map((s) => [s.status, s.load])).toEqual([
      ['WS_FULL', 0.375],
      ['WS_FULL', 0.25],
      ['WS_AVAILABLE', 0],
    ]);
    expect(w.received.map((m) => m.message.case).filter((c) => c !== 'pong')).toEqual(['register']);
  });

  it('UpdateJobStatus for an unknown job is ignored and the socket stays open', async () => {
    const w = await lab.worker();
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: 'AJ_unknown', status: JobStatus.JS_SUCCESS }) });
    await roundTrip(w);
    expect(lab.events('worker.ignored').map((e) => e.reason)).toEqual(['update_job for unknown job AJ_unknown']);
    expect(lab.events('job.ended')).toHaveLength(0);
  });

  it('UpdateJobStatus JS_SUCCESS ends a running job as completed; a later update is ignored', async () => {
    const w = await lab.worker();
    await lab.rooms.createRoom({ name: 'r1' });
    const [a] = (await received(w, 'assignment')) as { job: { id: string } }[];
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: a.job.id, status: JobStatus.JS_RUNNING }) });
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: a.job.id, status: JobStatus.JS_SUCCESS }) });
    const [ended] = await lab.waitEnded((e) => e.jobId === a.job.id);
    expect(ended).toMatchObject({ outcome: 'completed', status: 'JS_SUCCESS', workerId: w.workerId });
    expect(lab.events('job.status').map((s) => s.status)).toEqual(['JS_RUNNING', 'JS_SUCCESS']);
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: a.job.id, status: JobStatus.JS_FAILED }) });
    await roundTrip(w);
    expect(lab.events('job.ended').filter((e) => e.jobId === a.job.id)).toHaveLength(1);
    expect(lab.events('worker.ignored')).toHaveLength(1);
  });

  it('UpdateJobStatus JS_FAILED with an error ends the job completed/JS_FAILED with the error in the reason', async () => {
    const w = await lab.worker();
    await lab.rooms.createRoom({ name: 'r1' });
    const [a] = (await received(w, 'assignment')) as { job: { id: string } }[];
    w.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: a.job.id, status: JobStatus.JS_FAILED, error: 'boom' }) });
    const [ended] = await lab.waitEnded((e) => e.jobId === a.job.id);
    expect(ended).toMatchObject({ outcome: 'completed', status: 'JS_FAILED' });
    expect(ended.reason).toContain('boom');
  });

  it('MigrateJobRequest is a no-op: no reply, socket open, job untouched', async () => {
    const w = await lab.worker();
    await lab.rooms.createRoom({ name: 'r1' });
    const [a] = (await received(w, 'assignment')) as { job: { id: string } }[];
    w.send({ case: 'migrateJob', value: new MigrateJobRequest({ jobIds: [a.job.id] }) });
    await roundTrip(w);
    expect(w.received.map((m) => m.message.case)).toEqual(['register', 'availability', 'assignment', 'pong']);
    expect(lab.ended(a.job.id)).toBeUndefined();
  });

  it('SimulateJobRequest without a participant: JT_ROOM to the same worker, whatever its type', async () => {
    const other = await lab.worker({ jobType: JobType.JT_ROOM });
    const w = await lab.worker({ agentName: 'sim', jobType: JobType.JT_PARTICIPANT, namespace: 'ns' });
    w.send({ case: 'simulateJob', value: new SimulateJobRequest({ type: JobType.JT_PUBLISHER, room: new Room({ name: 'sim-room', sid: 'RM_sim' }) }) });
    const [req] = (await received(w, 'availability')) as { job: any }[];
    expect(req.job.type).toBe(JobType.JT_ROOM);
    expect(req.job).toMatchObject({ agentName: 'sim', namespace: 'ns', dispatchId: '' });
    expect(req.job.id).toMatch(/^AJ_/);
    expect(req.job.room.name).toBe('sim-room');
    await received(w, 'assignment');
    expect(other.of('availability')).toHaveLength(0);
  });

  it('SimulateJobRequest with a participant: JT_PUBLISHER', async () => {
    const w = await lab.worker({ jobType: JobType.JT_ROOM });
    w.send({
      case: 'simulateJob',
      value: new SimulateJobRequest({ room: new Room({ name: 'sim-room' }), participant: new ParticipantInfo({ identity: 'alice' }) }),
    });
    const [req] = (await received(w, 'availability')) as { job: any }[];
    expect(req.job.type).toBe(JobType.JT_PUBLISHER);
    expect(req.job.participant.identity).toBe('alice');
  });

  it('SimulateJobRequest without a room is refused with a clear reason; the worker and server live on', async () => {
    const w = await lab.worker();
    w.send({ case: 'simulateJob', value: new SimulateJobRequest({ type: JobType.JT_ROOM }) });
    await roundTrip(w);
    expect(lab.events('worker.ignored').map((e) => e.reason)).toEqual(['simulate_job without a room (the real server would crash on it)']);
    expect(w.of('availability')).toHaveLength(0);
    expect(lab.events('job.created')).toHaveLength(0);
    // still serving
    await lab.rooms.createRoom({ name: 'after' });
    await received(w, 'assignment');
  });
});
