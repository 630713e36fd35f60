import { JobStatus, JobType, RoomAgentDispatch, type Job } from '@livekit/protocol';
import { TwirpError } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_TIMING } from '../../mock-server/index.ts';
import { eventually } from '../support/eventually.ts';
import { received, startLab, type Lab } from '../support/harness.ts';

describe('dispatch', () => {
  let lab: Lab;
  afterEach(() => lab?.close());

  const jobsIn = (room: string) => lab.events('job.created').filter((c) => c.room === room);
  const join = async (room: string, identity: string, extra: Record<string, unknown> = {}) => {
    const r = await lab.control('POST', `/rooms/${room}/participants`, { identity, ...extra });
    expect(r.status).toBe(201);
    return r.json();
  };
  const publish = async (room: string, identity: string) => {
    const r = await lab.control('POST', `/rooms/${room}/participants/${identity}/publish`, { type: 'audio' });
    expect(r.status).toBe(201);
    return (await r.json()) as { trackSid: string; first: boolean };
  };
  const leave = async (room: string, identity: string) => {
    const r = await lab.control('DELETE', `/rooms/${room}/participants/${identity}`);
    expect(r.status).toBe(200);
  };

  it('the default dispatch goes to unnamed workers only; a named agent is never auto-dispatched', async () => {
    lab = await startLab();
    const unnamed = await lab.worker();
    const named = await lab.worker({ agentName: 'x' });
    await lab.rooms.createRoom({ name: 'plain' });
    const [a] = (await received(unnamed, 'assignment')) as { job: Job }[];
    expect(a.job.agentName).toBe('');
    const ds = await lab.dispatch.listDispatch('plain');
    expect(ds.map((d) => d.agentName)).toEqual(['']);
    expect(ds[0].id).toMatch(/^AD_/);
    expect(lab.events('dispatch.created')[0]).toMatchObject({ room: 'plain', source: 'default', agentName: '' });
    expect(jobsIn('plain').map((j) => j.agentName)).toEqual(['']);
    expect(named.of('availability')).toHaveLength(0);
  });

  it('explicit CreateRoom.agents replace the default dispatch', async () => {
    lab = await startLab();
    const unnamed = await lab.worker();
    const named = await lab.worker({ agentName: 'x' });
    await lab.rooms.createRoom({ name: 'explicit', agents: [new RoomAgentDispatch({ agentName: 'x', metadata: 'md-x' })] });
    const [a] = (await received(named, 'assignment')) as { job: Job }[];
    expect(a.job).toMatchObject({ agentName: 'x', metadata: 'md-x' });
    const ds = await lab.dispatch.listDispatch('explicit');
    expect(ds.map((d) => d.agentName)).toEqual(['x']);
    expect(jobsIn('explicit').map((j) => j.agentName)).toEqual(['x']);
    expect(unnamed.of('availability')).toHaveLength(0);
  });

  it('agents in CreateRoom for an existing room are ignored, and the room is returned unchanged', async () => {
    lab = await startLab();
    const named = await lab.worker({ agentName: 'x' });
    const first = await lab.rooms.createRoom({ name: 'existing', metadata: 'v1' });
    const again = await lab.rooms.createRoom({ name: 'existing', metadata: 'v2', agents: [new RoomAgentDispatch({ agentName: 'x' })] });
    expect(again.sid).toBe(first.sid);
    expect(again.metadata).toBe('v1');
    expect((await lab.dispatch.listDispatch('existing')).map((d) => d.agentName)).toEqual(['']);
    // the default dispatch's job (no unnamed worker) has ended as dropped, proving the decisions are made
    await lab.waitEnded((_e, c) => c.room === 'existing');
    expect(named.of('availability')).toHaveLength(0);
  });

  it('job type mismatch (JT_PARTICIPANT job, JT_ROOM worker) is dropped with a reason naming what is registered', async () => {
    lab = await startLab();
    const w = await lab.worker({ agentName: 'support', jobType: JobType.JT_ROOM });
    await lab.rooms.createRoom({ name: 'mm', agents: [new RoomAgentDispatch({ agentName: 'support' })] });
    await received(w, 'assignment');
    await join('mm', 'alice');
    const [ended] = await lab.waitEnded((_e, c) => c.room === 'mm' && c.jobType === 'JT_PARTICIPANT');
    expect(ended.outcome).toBe('dropped');
    expect(ended.reason).toBe('no worker for agent "support" with type JT_PARTICIPANT; registered: "support" as JT_ROOM');
    expect(w.of('availability')).toHaveLength(1);
  });

  it('job type mismatch the other way (JT_ROOM job, JT_PARTICIPANT worker) is dropped too', async () => {
    lab = await startLab();
    const w = await lab.worker({ agentName: 'support', jobType: JobType.JT_PARTICIPANT });
    await lab.dispatch.createDispatch('mm2', 'support');
    const ended = await lab.waitEnded((_e, c) => c.room === 'mm2' && c.agentName === 'support');
    expect(ended[0].outcome).toBe('dropped');
    expect(ended[0].reason).toBe('no worker for agent "support" with type JT_ROOM; registered: "support" as JT_PARTICIPANT');
    expect(w.of('availability')).toHaveLength(0);
  });

  it('a dispatch before any worker registered is lost; a worker registering later gets nothing for that room', async () => {
    lab = await startLab();
    await lab.rooms.createRoom({ name: 'early' });
    const [ended] = await lab.waitEnded((_e, c) => c.room === 'early');
    expect(ended).toMatchObject({ outcome: 'dropped', reason: 'no worker for agent "" with type JT_ROOM; registered: none' });
    const late = await lab.worker();
    await lab.rooms.createRoom({ name: 'later' });
    const [a] = (await received(late, 'assignment')) as { job: Job }[];
    expect(a.job.room?.name).toBe('later');
    expect(late.of('availability')).toHaveLength(1);
  });

  it('CreateDispatch auto-creates the room, which also gets the default dispatch', async () => {
    lab = await startLab();
    const unnamed = await lab.worker();
    const named = await lab.worker({ agentName: 'x' });
    const d = await lab.dispatch.createDispatch('auto', 'x', { metadata: 'hello' });
    expect(d.id).toMatch(/^AD_/);
    expect(d.room).toBe('auto');
    expect(d.state?.createdAt).toBeGreaterThan(0n);
    const [ax] = (await received(named, 'assignment')) as { job: Job }[];
    const [au] = (await received(unnamed, 'assignment')) as { job: Job }[];
    expect(ax.job).toMatchObject({ dispatchId: d.id, metadata: 'hello', type: JobType.JT_ROOM });
    expect(au.job.dispatchId).not.toBe(d.id);
    expect(lab.events('room.created')[0]).toMatchObject({ room: 'auto', via: 'api' });
    expect((await lab.dispatch.listDispatch('auto')).map((x) => x.agentName).sort()).toEqual(['', 'x']);
  });

  it('repeated CreateDispatch → repeated jobs', async () => {
    lab = await startLab();
    const named = await lab.worker({ agentName: 'x' });
    const d1 = await lab.dispatch.createDispatch('rep', 'x');
    const d2 = await lab.dispatch.createDispatch('rep', 'x');
    const as = (await received(named, 'assignment', 2)) as { job: Job }[];
    expect(as.map((a) => a.job.dispatchId).sort()).toEqual([d1.id, d2.id].sort());
    expect(d1.id).not.toBe(d2.id);
    await eventually(async () => {
      const ds = (await lab.dispatch.listDispatch('rep')).filter((d) => d.agentName === 'x');
      return ds.every((d) => d.state?.jobs.length === 1) && ds.length === 2 ? '' : 'jobs not stored on both dispatches yet';
    });
  });

  it('a dispatch added to a live room launches JT_PARTICIPANT / JT_PUBLISHER for participants already there', async () => {
    lab = await startLab();
    const part = await lab.worker({ agentName: 'p', jobType: JobType.JT_PARTICIPANT });
    const pub = await lab.worker({ agentName: 'p', jobType: JobType.JT_PUBLISHER });
    await join('live', 'alice');
    await join('live', 'bob');
    await publish('live', 'bob');
    await join('live', 'bot', { kind: 'agent' });
    await lab.dispatch.createDispatch('live', 'p');
    const parts = (await received(part, 'assignment', 2)) as { job: Job }[];
    expect(parts.map((a) => a.job.participant?.identity).sort()).toEqual(['alice', 'bob']);
    const [pb] = (await received(pub, 'assignment')) as { job: Job }[];
    expect(pb.job.participant?.identity).toBe('bob');
    // JT_ROOM for "p" has no worker: its drop is the last decision of this dispatch
    await lab.waitEnded((_e, c) => c.room === 'live' && c.agentName === 'p' && c.jobType === 'JT_ROOM');
    expect(part.of('availability')).toHaveLength(2);
    expect(pub.of('availability')).toHaveLength(1);
  });

  it('DeleteDispatch sends JobTermination; the job ends terminated JS_SUCCESS; the dispatch vanishes from ListDispatch at once', async () => {
    lab = await startLab();
    const named = await lab.worker({ agentName: 'x' });
    const d = await lab.dispatch.createDispatch('del', 'x');
    const [a] = (await received(named, 'assignment')) as { job: Job }[];
    await eventually(async () => ((await lab.dispatch.listDispatch('del')).find((x) => x.id === d.id)?.state?.jobs.length === 1 ? '' : 'job not stored'));
    await lab.dispatch.deleteDispatch(d.id, 'del');
    expect((await lab.dispatch.listDispatch('del')).map((x) => x.id)).not.toContain(d.id);
    const [t] = (await received(named, 'termination')) as { jobId: string }[];
    expect(t.jobId).toBe(a.job.id);
    const [ended] = await lab.waitEnded((e) => e.jobId === a.job.id);
    expect(ended).toMatchObject({ outcome: 'terminated', status: 'JS_SUCCESS', workerId: named.workerId });
    expect(lab.events('dispatch.deleted')[0]).toMatchObject({ dispatchId: d.id, room: 'del' });
    // a second delete of the same id is not_found
    const err = await lab.dispatch.deleteDispatch(d.id, 'del').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TwirpError);
    expect(err).toMatchObject({ status: 404, code: 'not_found', message: 'twirp error unknown: dispatch ID not found' });
  });

  it('ListDispatch / DeleteDispatch on a room that is not live → unavailable (503) after the configured delay', async () => {
    lab = await startLab({ timing: { ...FAST_TIMING, roomRpcUnavailableMs: 400 } });
    for (const call of [() => lab.dispatch.listDispatch('ghost'), () => lab.dispatch.deleteDispatch('AD_x', 'ghost')]) {
      const t0 = Date.now();
      const err = await call().catch((e: unknown) => e);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
      expect(err).toMatchObject({ status: 503, code: 'unavailable', message: 'twirp error unknown: no response from servers' });
    }
  });

  it('ListDispatch with an unknown dispatch id is an empty list (getDispatch → undefined)', async () => {
    lab = await startLab();
    await lab.rooms.createRoom({ name: 'lst' });
    expect(await lab.dispatch.getDispatch('AD_nope', 'lst')).toBeUndefined();
  });

  it('a worker disconnect orphans its running jobs: no reassignment, ListDispatch frozen at JS_RUNNING', async () => {
    lab = await startLab();
    const w = await lab.worker();
    const other = await lab.worker({ answer: () => ({ available: false }) });
    await lab.rooms.createRoom({ name: 'orph' });
    await eventually(() => (lab.events('job.assigned').length === 1 ? '' : 'job not assigned'));
    const assigned = lab.events('job.assigned')[0];
    const holder = assigned.workerId === w.workerId ? w : other;
    expect(holder).toBe(w);
    await w.close();
    const [ended] = await lab.waitEnded((e) => e.jobId === assigned.jobId);
    expect(ended).toMatchObject({ outcome: 'orphaned', workerId: w.workerId });
    // the room records the job once the agent client's CheckEnabled round ends (EnabledCheck), then keeps it as it was
    await eventually(async () => ((await lab.dispatch.listDispatch('orph'))[0].state?.jobs.length ? '' : 'job not stored'));
    const [d] = await lab.dispatch.listDispatch('orph');
    expect(d.state?.jobs[0].state?.status).toBe(JobStatus.JS_RUNNING);
    expect(other.of('availability').filter((r) => (r as { job: Job }).job.id === assigned.jobId).length).toBeLessThanOrEqual(1);
    expect(other.of('assignment')).toHaveLength(0);
  });

  it('JT_PARTICIPANT for each human join, none for agent-kind participants', async () => {
    lab = await startLab();
    const w = await lab.worker({ jobType: JobType.JT_PARTICIPANT });
    await join('joins', 'alice');
    await join('joins', 'bot', { kind: 'agent' });
    await join('joins', 'bob');
    const as = (await received(w, 'assignment', 2)) as { job: Job }[];
    expect(as.map((a) => a.job.participant?.identity)).toEqual(['alice', 'bob']);
    expect(as.every((a) => a.job.type === JobType.JT_PARTICIPANT)).toBe(true);
    // the default dispatch's JT_ROOM job (no JT_ROOM worker) was dropped at creation
    expect(jobsIn('joins').filter((j) => j.jobType === 'JT_PARTICIPANT').map((j) => j.participantIdentity)).toEqual(['alice', 'bob']);
  });

  it('JT_PUBLISHER on the first publish only', async () => {
    lab = await startLab();
    const w = await lab.worker({ jobType: JobType.JT_PUBLISHER });
    await join('pubs', 'alice');
    expect(await publish('pubs', 'alice')).toMatchObject({ first: true });
    expect(await publish('pubs', 'alice')).toMatchObject({ first: false });
    await join('pubs', 'bob');
    await publish('pubs', 'bob');
    const as = (await received(w, 'assignment', 2)) as { job: Job }[];
    expect(as.map((a) => a.job.participant?.identity)).toEqual(['alice', 'bob']);
    expect(as[0].job.participant?.tracks).toHaveLength(1);
    expect(jobsIn('pubs').filter((j) => j.jobType === 'JT_PUBLISHER')).toHaveLength(2);
  });

  it('the room closes a departure timeout after the last human leaves', async () => {
    lab = await startLab();
    await lab.rooms.createRoom({ name: 'dep', departureTimeout: 1, emptyTimeout: 300 });
    await join('dep', 'alice');
    await leave('dep', 'alice');
    const left = lab.events('participant.left')[0];
    await eventually(() => (lab.events('room.closed').length ? '' : 'room still open'), { timeoutMs: 5_000 });
    const closed = lab.events('room.closed')[0];
    expect(closed).toMatchObject({ room: 'dep', reason: 'ROOM_CLOSED' });
    // whole seconds: closes once floor(now) − floor(leftAt) ≥ 1
    expect(Math.floor(closed.at / 1000) - Math.floor(left.at / 1000)).toBeGreaterThanOrEqual(1);
    expect(closed.at - left.at).toBeLessThan(2_500);
    expect((await lab.rooms.listRooms()).map((r) => r.name)).not.toContain('dep');
  });

  it('a room nobody joins closes after its empty timeout; an agent alone does not keep it open', async () => {
    lab = await startLab();
    const created = Date.now();
    await lab.rooms.createRoom({ name: 'empty', emptyTimeout: 1 });
    await join('empty', 'bot', { kind: 'agent' });
    await eventually(() => (lab.events('room.closed').length ? '' : 'room still open'), { timeoutMs: 5_000 });
    expect(Date.now() - created).toBeGreaterThanOrEqual(900);
    expect(lab.events('participant.left').map((p) => p.identity)).toEqual(['bot']);
  });

  it('an agent participant leaving terminates its job JS_FAILED "agent worker left the room"', async () => {
    lab = await startLab();
    const w = await lab.worker({ answer: () => ({ participantIdentity: 'agent-1' }) });
    await lab.rooms.createRoom({ name: 'agent-leaves' });
    const [a] = (await received(w, 'assignment')) as { job: Job }[];
    await eventually(async () => ((await lab.dispatch.listDispatch('agent-leaves'))[0].state?.jobs.length ? '' : 'job not stored'));
    await join('agent-leaves', 'alice');
    await join('agent-leaves', 'agent-1', { kind: 'agent' });
    await leave('agent-leaves', 'agent-1');
    const [t] = (await received(w, 'termination')) as { jobId: string }[];
    expect(t.jobId).toBe(a.job.id);
    const [ended] = await lab.waitEnded((e) => e.jobId === a.job.id);
    expect(ended).toMatchObject({ outcome: 'terminated', status: 'JS_FAILED', reason: 'agent worker left the room' });
  });

  it('RemoveParticipant of the agent and room close terminate the same way; a non-matching identity gets nothing', async () => {
    lab = await startLab();
    const w = await lab.worker({ answer: (job) => ({ participantIdentity: `agent-${job.room?.name}` }) });
    for (const name of ['rp', 'rc']) {
      await lab.rooms.createRoom({ name });
      await eventually(async () => ((await lab.dispatch.listDispatch(name))[0].state?.jobs.length ? '' : `job for ${name} not stored`));
      await join(name, `agent-${name}`, { kind: 'agent' });
    }
    await join('rc', 'someone-else', { kind: 'agent' });
    await lab.rooms.removeParticipant('rp', 'agent-rp');
    await lab.rooms.deleteRoom('rc');
    await received(w, 'termination', 2);
    const ended = await lab.waitEnded((e) => e.outcome === 'terminated', 2);
    expect(ended.every((e) => e.status === 'JS_FAILED')).toBe(true);
    expect(w.of('termination')).toHaveLength(2);
  });
});
