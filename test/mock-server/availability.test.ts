import { AvailabilityResponse, JobStatus, JobType, ParticipantPermission, type Job } from '@livekit/protocol';
import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import type { RawWorker } from '../support/raw-worker.ts';
import { decodeJwt, received, startLab, type Lab } from '../support/harness.ts';

describe('availability and assignment', () => {
  let lab: Lab;
  afterEach(() => lab?.close());

  const offeredTo = (jobId: string) => lab.events('job.offered').filter((o) => o.jobId === jobId).map((o) => o.workerId);

  it('the AvailabilityRequest already carries state JS_RUNNING and the worker id', async () => {
    lab = await startLab();
    const w = await lab.worker({ answer: () => 'ignore' });
    await lab.rooms.createRoom({ name: 'r1', metadata: 'room-md' });
    const [req] = (await received(w, 'availability')) as { job: Job; resuming: boolean }[];
    expect(req.resuming).toBe(false);
    expect(req.job.state?.status).toBe(JobStatus.JS_RUNNING);
    expect(req.job.state?.workerId).toBe(w.workerId);
    expect(req.job.state?.agentId).toBe('');
    expect(req.job.state?.startedAt).toBe(req.job.state?.updatedAt);
    expect(req.job.id).toMatch(/^AJ_/);
    expect(req.job.dispatchId).toMatch(/^AD_/);
    expect(req.job.type).toBe(JobType.JT_ROOM);
    expect(req.job.room?.name).toBe('r1');
    expect(req.job.room?.sid).toMatch(/^RM_/);
    expect(req.job.room?.metadata).toBe('room-md');
    expect(req.job.room?.numParticipants).toBe(0);
    expect(req.job.participant).toBeUndefined();
    expect(req.job.agentName).toBe('');
  });

  it('accept → JobAssignment whose token has exactly BuildAgentToken\'s claims, signed with the worker\'s own key', async () => {
    lab = await startLab({ keys: new Map([['k1', 's1'], ['k2', 's2']]) });
    const w = await lab.worker({
      apiKey: 'k2',
      apiSecret: 's2',
      agentName: 'helper',
      answer: (job) => ({
        participantIdentity: 'agent-1',
        participantName: 'Agent One',
        participantMetadata: '{"m":1}',
        participantAttributes: { 'lk.agent_name': 'spoofed', color: 'blue' },
        jobId: job.id,
      }),
    });
    const before = Math.floor(Date.now() / 1000);
    await lab.dispatch.createDispatch('tok-room', 'helper');
    const [a] = (await received(w, 'assignment')) as { job: Job; token: string; url?: string }[];
    expect(a.url).toBeUndefined();
    expect(a.job.state?.participantIdentity).toBe('agent-1');
    expect(a.job.state?.status).toBe(JobStatus.JS_RUNNING);

    const { header, claims } = decodeJwt(a.token);
    expect(header.alg).toBe('HS256');
    await expect(jwtVerify(a.token, new TextEncoder().encode('s2'))).resolves.toBeTruthy();
    await expect(jwtVerify(a.token, new TextEncoder().encode('s1'))).rejects.toThrow();
    expect(Object.keys(claims).sort()).toEqual(['attributes', 'exp', 'iat', 'identity', 'iss', 'kind', 'metadata', 'name', 'nbf', 'sub', 'video'].sort());
    expect(claims).toMatchObject({
      iss: 'k2',
      sub: 'agent-1',
      identity: 'agent-1',
      name: 'Agent One',
      metadata: '{"m":1}',
      kind: 'agent',
      attributes: { 'lk.agent_name': 'helper', color: 'blue' },
    });
    expect(claims.exp - claims.nbf).toBe(3600);
    expect(claims.iat).toBe(claims.nbf);
    expect(claims.nbf).toBeGreaterThanOrEqual(before);
    // defaults when allowed_permissions is absent
    expect(claims.video).toEqual({
      roomJoin: true,
      room: 'tok-room',
      agent: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      canUpdateOwnMetadata: true,
      canSubscribeMetrics: false,
    });
    expect(lab.events('job.assigned')[0]).toMatchObject({ jobId: a.job.id, workerId: w.workerId, participantIdentity: 'agent-1' });
  });

  it('grants come verbatim from allowed_permissions; lk.agent_name is present even for an unnamed worker', async () => {
    lab = await startLab();
    const w = await lab.worker({
      permissions: new ParticipantPermission({ canSubscribe: true, canPublish: false, canPublishData: false, canUpdateMetadata: false, hidden: true, canSubscribeMetrics: true }),
    });
    await lab.rooms.createRoom({ name: 'perm-room' });
    const [a] = (await received(w, 'assignment')) as { token: string }[];
    const { claims } = decodeJwt(a.token);
    expect(claims.video).toEqual({
      roomJoin: true,
      room: 'perm-room',
      agent: true,
      canPublish: false,
      canSubscribe: true,
      canPublishData: false,
      canUpdateOwnMetadata: false,
      hidden: true,
      canSubscribeMetrics: true,
    });
    expect(claims.attributes).toEqual({ 'lk.agent_name': '' });
  });

  it('an empty participant_identity gives a token without sub or identity', async () => {
    lab = await startLab();
    const w = await lab.worker({ answer: () => ({ participantIdentity: '' }) });
    await lab.rooms.createRoom({ name: 'anon' });
    const [a] = (await received(w, 'assignment')) as { token: string }[];
    const { claims } = decodeJwt(a.token);
    expect(claims.sub).toBeUndefined();
    expect(claims.identity).toBeUndefined();
    expect(claims.kind).toBe('agent');
  });

  it('reject → the next untried worker of the key; never the same worker twice', async () => {
    lab = await startLab({ seed: 3 });
    const rejecting: RawWorker[] = [];
    for (let i = 0; i < 2; i++) rejecting.push(await lab.worker({ answer: () => ({ available: false }) }));
    const acceptor = await lab.worker();
    const other = await lab.worker({ agentName: 'other' });
    for (let i = 0; i < 4; i++) await lab.rooms.createRoom({ name: `room-${i}` });
    await eventually(() => (lab.events('job.assigned').length >= 4 ? '' : `${lab.events('job.assigned').length}/4 jobs assigned`));
    const assigned = lab.events('job.assigned');
    let rejections = 0;
    for (const a of assigned) {
      const offers = offeredTo(a.jobId);
      expect(new Set(offers).size).toBe(offers.length);
      expect(offers.at(-1)).toBe(acceptor.workerId);
      expect(a.workerId).toBe(acceptor.workerId);
      rejections += offers.length - 1;
    }
    expect(rejections).toBeGreaterThan(0); // seed 3 puts a rejecting worker first at least once
    expect(lab.events('job.rejected').length).toBe(rejections);
    expect(other.of('availability')).toHaveLength(0);
    expect(lab.events('job.ended')).toHaveLength(0);
  });

  it('all workers reject → the job ends rejected, each worker asked once', async () => {
    lab = await startLab();
    const ws = [];
    for (let i = 0; i < 3; i++) ws.push(await lab.worker({ answer: () => ({ available: false }) }));
    await lab.rooms.createRoom({ name: 'nobody' });
    const [ended] = await lab.waitEnded((_e, c) => c.room === 'nobody');
    expect(ended.outcome).toBe('rejected');
    expect(ended.reason).toMatch(/all 3 eligible workers answered available: false/);
    expect(offeredTo(ended.jobId).sort()).toEqual(ws.map((w) => w.workerId).sort());
    for (const w of ws) {
      expect(w.of('availability')).toHaveLength(1);
      expect(w.of('assignment')).toHaveLength(0);
    }
  });

  it('terminate: true → declined with JS_SUCCESS, no assignment, no other worker asked; ListDispatch shows JS_SUCCESS', async () => {
    lab = await startLab();
    const w = await lab.worker({ answer: () => ({ terminate: true }) });
    const second = await lab.worker({ answer: () => ({ terminate: true }) });
    const d = await lab.dispatch.createDispatch('decline-room', '');
    const ended = await lab.waitEnded((_e, c) => c.dispatchId === d.id);
    expect(ended[0]).toMatchObject({ outcome: 'declined', status: 'JS_SUCCESS' });
    expect(offeredTo(ended[0].jobId)).toHaveLength(1);
    expect([...w.of('assignment'), ...second.of('assignment')]).toHaveLength(0);
    const [listed] = await lab.dispatch.listDispatch('decline-room').then((ds) => ds.filter((x) => x.id === d.id));
    await eventually(async () => {
      const [l] = (await lab.dispatch.listDispatch('decline-room')).filter((x) => x.id === d.id);
      return l.state?.jobs.length === 1 ? '' : `dispatch has ${l.state?.jobs.length} jobs`;
    });
    const [after] = (await lab.dispatch.listDispatch('decline-room')).filter((x) => x.id === d.id);
    expect(listed.id).toBe(d.id);
    expect(after.state?.jobs[0].state?.status).toBe(JobStatus.JS_SUCCESS);
    expect(after.state?.jobs[0].state?.endedAt).toBeGreaterThan(0n);
  });

  it('no answer → timed_out after the window, not retried, the late answer ignored', async () => {
    lab = await startLab();
    const silent = await lab.worker({ answer: () => 'ignore' });
    const [room] = await Promise.all([lab.rooms.createRoom({ name: 'slow' })]);
    expect(room.name).toBe('slow');
    const [req] = (await received(silent, 'availability')) as { job: Job }[];
    // a second worker registered after the offer must not be tried when the offer times out
    const eager = await lab.worker();
    const [ended] = await lab.waitEnded((e) => e.jobId === req.job.id);
    expect(ended).toMatchObject({ outcome: 'timed_out', workerId: silent.workerId });
    expect(ended.reason).toMatch(/did not answer the AvailabilityRequest within \d+ ms/);
    expect(offeredTo(req.job.id)).toEqual([silent.workerId]);
    silent.send({ case: 'availability', value: new AvailabilityResponse({ jobId: req.job.id, available: true, participantIdentity: 'late' }) });
    await eventually(() => (lab.events('worker.ignored').length ? '' : 'late answer not recorded'));
    expect(lab.events('worker.ignored')[0].reason).toMatch(/availability response for unknown job/);
    expect(silent.of('assignment')).toHaveLength(0);
    expect(eager.of('availability')).toHaveLength(0);
    expect(lab.events('job.ended').filter((e) => e.jobId === req.job.id)).toHaveLength(1);
  });

  it('a worker that closes while the offer is pending → the next worker is tried', async () => {
    lab = await startLab({ seed: 1 });
    let closer: RawWorker | undefined;
    const answer = (job: Job): 'ignore' => {
      void job;
      queueMicrotask(() => closer?.ws.terminate());
      return 'ignore';
    };
    closer = await lab.worker({ answer });
    const closer2 = await lab.worker({
      answer: () => {
        queueMicrotask(() => closer2.ws.terminate());
        return 'ignore';
      },
    });
    const good = await lab.worker();
    // rooms until both closers have been offered a job (each closes on its first offer)
    let rooms = 0;
    while (lab.events('worker.closed').length < 2 && rooms < 30) {
      await lab.rooms.createRoom({ name: `failover-${rooms++}` });
      await received(good, 'assignment', rooms);
    }
    expect(lab.events('worker.closed').map((c) => c.workerId).sort()).toEqual([closer.workerId, closer2.workerId].sort());
    expect(lab.events('job.ended')).toHaveLength(0);
    // the jobs offered to a closing worker still reached `good`
    const failedOver = lab.events('job.assigned').filter((a) => offeredTo(a.jobId).length > 1);
    expect(failedOver.length).toBeGreaterThan(0);
    for (const a of lab.events('job.assigned')) expect(a.workerId).toBe(good.workerId);
  });
});
