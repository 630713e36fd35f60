import { JobStatus, JobType, type Job } from '@livekit/protocol';
import { TwirpError } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_TIMING } from '../../mock-server/index.ts';
import { eventually } from '../support/eventually.ts';
import { received, startLab, type Lab } from '../support/harness.ts';

// The dispatch rules themselves run on the ManualClock (mock-server/dispatch/*.test.ts); these keep what
// needs the HTTP layer: Twirp's dispatch calls, the control API, ListDispatch's view of the jobs.
describe('dispatch', () => {
  let lab: Lab;
  afterEach(() => lab?.close());

  const join = async (room: string, identity: string, extra: Record<string, unknown> = {}) => {
    const r = await lab.control('POST', `/rooms/${room}/participants`, { identity, ...extra });
    expect(r.status).toBe(201);
    return r.json();
  };
  const leave = async (room: string, identity: string) => {
    const r = await lab.control('DELETE', `/rooms/${room}/participants/${identity}`);
    expect(r.status).toBe(200);
  };

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
