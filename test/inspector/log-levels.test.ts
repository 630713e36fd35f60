import { AvailabilityResponse, JobType, RegisterWorkerRequest, TrackInfo, TrackType, UpdateWorkerStatus, WorkerMessage, WorkerStatus } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { signHs256 } from '../../mock-server/auth/jwt.ts';
import type { WorkerSession } from '../../mock-server/agent/worker-session.ts';
import { ManualClock } from '../../mock-server/core/clock.ts';
import type { RoomCreateSpec } from '../../mock-server/rooms/room-manager.ts';
import { MockCore } from '../../mock-server/server/mock-core.ts';
import { traceLine } from '../../cli/trace-line.ts';
import { eventually } from '../support/eventually.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

const auth = { apiKey: 'devkey', apiSecret: 'secret', grants: { iss: 'devkey', video: { agent: true } }, identity: '' };
const spec = (name: string, agents: RoomCreateSpec['agents'] = []): RoomCreateSpec => ({ name, emptyTimeout: 0, departureTimeout: 0, maxParticipants: 0, metadata: '', agents });

describe('drop warnings only when someone could have wanted the job', () => {
  let core: MockCore;
  let clock: ManualClock;
  afterEach(() => core?.stop());

  const start = () => {
    clock = new ManualClock();
    core = new MockCore({ clock, seed: 3, timing: 'real' });
  };
  const worker = (req: Partial<RegisterWorkerRequest>) => {
    // accepts every job, as a normal worker does
    const session: WorkerSession = core.openWorkerSession(
      {
        send: (m) => {
          if (m.message.case !== 'availability') return;
          const jobId = m.message.value.job!.id;
          queueMicrotask(() => session.handleMessage(new WorkerMessage({ message: { case: 'availability', value: new AvailabilityResponse({ jobId, available: true }) } })));
        },
        terminate: () => undefined,
      },
      auth,
    );
    session.handleMessage(new WorkerMessage({ message: { case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, ...req }) } }));
    return session;
  };
  const join = (roomName: string, identity: string, agents: RoomCreateSpec['agents'] = []) => {
    const { room } = core.rooms.getOrCreate(spec(roomName, agents), agents.length ? 'token' : 'default');
    const p = core.rooms.join(room, { identity, virtual: true });
    core.rooms.markActive(room, p);
    return { room, p };
  };
  const logs = () => core.trace.events('log');
  const dropLevel = (jobType: string) => {
    const job = core.trace.events('job.created').find((j) => j.jobType === jobType)!;
    return logs().find((l) => l.message.startsWith(`job ${job.jobId} `))?.level;
  };

  it('a normal JT_ROOM worker: the default dispatch\'s JT_PARTICIPANT and JT_PUBLISHER drops are debug, not warnings', async () => {
    start();
    worker({ type: JobType.JT_ROOM, agentName: '' });
    const { room, p } = join('plain', 'alice');
    core.rooms.publishTrack(room, p, new TrackInfo({ sid: 'TR_a', type: TrackType.AUDIO }));
    await clock.advance(10_000);
    const ended = core.trace.events('job.ended');
    expect(ended.filter((e) => e.outcome === 'dropped')).toHaveLength(2);
    expect(dropLevel('JT_PARTICIPANT')).toBe('debug');
    expect(dropLevel('JT_PUBLISHER')).toBe('debug');
    expect(logs().filter((l) => l.level === 'warn')).toEqual([]);
    const lines = core.trace.events().map(traceLine).filter(Boolean) as string[];
    expect(lines.filter((l) => l.startsWith('WARN'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('DEBUG')).join('\n')).toContain('no worker for agent "" with type JT_PARTICIPANT; registered: "" as JT_ROOM');
  });

  it('a named agent with the wrong job type (library 09) is a warning with the reason', async () => {
    start();
    worker({ type: JobType.JT_ROOM, agentName: 'my-agent' });
    join('m1', 'alice', [{ agentName: 'my-agent' } as never]);
    await clock.advance(10_000);
    expect(dropLevel('JT_PARTICIPANT')).toBe('warn');
    const warn = core.trace.events().map(traceLine).filter((l) => l?.startsWith('WARN'));
    expect(warn).toHaveLength(1);
    expect(warn[0]).toContain('dropped: no worker for agent "my-agent" with type JT_PARTICIPANT; registered: "my-agent" as JT_ROOM');
  });

  it('an unnamed job of a type and namespace a worker registered is a warning when it is dropped (all workers full)', async () => {
    start();
    const w = worker({ type: JobType.JT_PARTICIPANT, agentName: '', namespace: '' });
    w.handleMessage(new WorkerMessage({ message: { case: 'updateWorker', value: new UpdateWorkerStatus({ status: WorkerStatus.WS_FULL, load: 1 }) } }));
    join('busy', 'bob');
    await clock.advance(10_000);
    expect(dropLevel('JT_PARTICIPANT')).toBe('warn');
    expect(dropLevel('JT_ROOM')).toBe('debug'); // no JT_ROOM worker at all
  });
});

describe('serve --verbose and --quiet', () => {
  let serve: ServeProcess | undefined;
  afterEach(() => serve?.stop());

  const virtualJoin = async (s: ServeProcess, room: string, body: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const token = signHs256({ iss: 'devkey', sub: 'test', nbf: now - 10, exp: now + 600 }, 'secret');
    const res = await fetch(`${s.httpUrl}/_lab/rooms/${room}/participants`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
  };

  it('--verbose prints the debug drops; --quiet prints warnings only', async () => {
    serve = await startServe(['--verbose']);
    await virtualJoin(serve, 'v1', { identity: 'alice' });
    await eventually(() => (serve!.out().includes('DEBUG job') ? '' : `no DEBUG line: ${serve!.out()}`), { timeoutMs: 15_000 });
    expect(serve.out()).not.toContain('WARN');
    await serve.stop();

    serve = await startServe(['--quiet']);
    await virtualJoin(serve, 'q1', { identity: 'alice', roomAgents: [{ agentName: 'named' }] });
    await eventually(() => (serve!.out().includes('WARN job') ? '' : `no WARN line: ${serve!.out()}`), { timeoutMs: 15_000 });
    expect(serve.out()).toContain('no worker for agent "named" with type JT_ROOM; registered: none');
    expect(serve.out()).not.toContain('participant "alice" joined'); // info lines are quiet
    expect(serve.out()).not.toContain('DEBUG');
  }, 90_000);
});
