import { JobType, RoomAgentDispatch } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import { groupAlive } from '../../targets/process-group.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';

const of = <K extends TraceEvent['kind']>(events: TraceEvent[], kind: K) => events.filter((e) => e.kind === kind) as Extract<TraceEvent, { kind: K }>[];

describe('livekit-server binary target', () => {
  let server: StartedLiveKitServer;
  const workers: RawWorker[] = [];

  beforeAll(async () => {
    server = await startLiveKitServer();
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.close()));
    await server?.dispose();
  }, 30_000);

  const worker = async (opts: Partial<ConstructorParameters<typeof RawWorker>[0]> = {}) => {
    const w = new RawWorker({ url: server.workerWsUrl, apiKey: server.apiKey, apiSecret: server.apiSecret, ...opts });
    workers.push(w);
    await w.connect();
    return w.register();
  };

  it('answers GET / with 200 and logs its start line', async () => {
    const res = await fetch(`${server.httpUrl}/`);
    expect(res.status).toBe(200);
    expect(server.logs().some((l) => l.includes('starting LiveKit server'))).toBe(true);
  });

  it('records a raw worker registering through the wire tap as worker.registered', async () => {
    const w = await worker({ agentName: 'tap-reg', jobType: JobType.JT_PUBLISHER });
    await eventually(() => (of(server.trace.events(), 'worker.registered').some((e) => e.workerId === w.workerId) ? '' : 'no worker.registered yet'));
    const reg = of(server.trace.events(), 'worker.registered').find((e) => e.workerId === w.workerId)!;
    expect(reg).toMatchObject({ agentName: 'tap-reg', jobType: 'JT_PUBLISHER', namespace: '', deployment: '', version: 'raw-worker' });
    expect(w.workerId).toMatch(/^AW_/);
    const socketEvents = server.trace.events().filter((e) => 'socketId' in e && e.socketId === reg.socketId).map((e) => e.kind);
    expect(socketEvents.slice(0, 4)).toEqual(['worker.connected', 'worker.message', 'worker.message', 'worker.registered']);
  });

  it('decodes JSON text frames too (the server answers a text frame with text)', async () => {
    const w = await worker({ agentName: 'json-worker', json: true });
    expect(w.frames.every((f) => !f.binary)).toBe(true);
    await eventually(() => (of(server.trace.events(), 'worker.registered').some((e) => e.workerId === w.workerId && e.agentName === 'json-worker') ? '' : 'no worker.registered'));
  });

  it('records the AvailabilityRequest from CreateRoom as job.created + job.offered, then job.assigned', async () => {
    const w = await worker({ agentName: '', answer: () => ({ available: true, participantIdentity: 'agent-bin-1' }) });
    const rooms = new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret);
    await rooms.createRoom({ name: 'bin-room-1' });
    const jobFor = () => of(server.trace.events(), 'job.created').find((e) => e.room === 'bin-room-1');
    await eventually(() => (jobFor() ? '' : 'no job.created for bin-room-1'), { timeoutMs: 10_000 });
    const created = jobFor()!;
    expect(created).toMatchObject({ jobType: 'JT_ROOM', agentName: '', namespace: '' });
    expect(created.dispatchId).toMatch(/^AD_/);
    expect(of(server.trace.events(), 'job.offered')).toContainEqual(expect.objectContaining({ jobId: created.jobId, workerId: w.workerId }));
    await eventually(() => (of(server.trace.events(), 'job.assigned').some((e) => e.jobId === created.jobId) ? '' : 'no job.assigned yet'), { timeoutMs: 10_000 });
    expect(of(server.trace.events(), 'job.assigned').find((e) => e.jobId === created.jobId)).toMatchObject({ workerId: w.workerId, participantIdentity: 'agent-bin-1' });
    // the tap records before it forwards, so the worker may see the assignment a moment later
    await eventually(() => (w.of('assignment').length > 0 ? '' : 'worker has not received the assignment'));
    expect(w.of('assignment')[0]?.job?.id).toBe(created.jobId);
    await w.close();
    await eventually(() => (of(server.trace.events(), 'job.ended').some((e) => e.jobId === created.jobId && e.outcome === 'orphaned') ? '' : 'no orphaned end yet'));
  });

  it('records available:false as job.rejected and terminate:true as a declined end', async () => {
    const rejecting = await worker({ agentName: 'picky', answer: () => ({ available: false }) });
    const rooms = new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret);
    await rooms.createRoom({ name: 'bin-room-2', agents: [new RoomAgentDispatch({ agentName: 'picky' })] });
    await eventually(() => (of(server.trace.events(), 'job.rejected').some((e) => e.workerId === rejecting.workerId) ? '' : 'no job.rejected yet'), { timeoutMs: 10_000 });
    await rejecting.close();

    const declining = await worker({ agentName: 'decliner', answer: () => ({ terminate: true }) });
    await rooms.createRoom({ name: 'bin-room-3', agents: [new RoomAgentDispatch({ agentName: 'decliner' })] });
    const declined = () => of(server.trace.events(), 'job.ended').find((e) => e.workerId === declining.workerId && e.outcome === 'declined');
    await eventually(() => (declined() ? '' : 'no declined end yet'), { timeoutMs: 10_000 });
    expect(declined()).toMatchObject({ status: 'JS_SUCCESS' });
    expect(declining.of('assignment')).toHaveLength(0);
  });

  it('passes a refused upgrade through with the server status and body', async () => {
    const direct = await refusal(`${server.wsUrl}/agent`);
    const tapped = await refusal(`${server.workerWsUrl}/agent`);
    expect(direct.status).toBe(401);
    expect(tapped).toEqual(direct);
  });

  it('dispose stops the whole process group and is idempotent', async () => {
    const other = await startLiveKitServer();
    const pid = other.pid;
    expect(groupAlive(pid)).toBe(true);
    await Promise.all([other.dispose(), other.dispose()]);
    expect(groupAlive(pid)).toBe(false);
    await expect(fetch(`${other.httpUrl}/`)).rejects.toThrow();
  }, 60_000);
});

/** Opens a worker socket with a token signed by an unknown key and returns how the upgrade was refused. */
function refusal(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { Authorization: 'Bearer not-a-jwt' } });
    ws.on('open', () => reject(new Error('upgrade unexpectedly accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}
