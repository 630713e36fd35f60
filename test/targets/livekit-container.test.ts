import { JobType } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { LiveKitContainer, LIVEKIT_LOCAL_IMAGE, type StartedLiveKitContainer } from '../../targets/livekit-container.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';
import { containerUnavailableReason, guardContainer } from './livekit-container-env.ts';

const of = <K extends TraceEvent['kind']>(events: TraceEvent[], kind: K) => events.filter((e) => e.kind === kind) as Extract<TraceEvent, { kind: K }>[];
const unavailable = containerUnavailableReason();

// livekit-server v1.13.5 in a container (the local image, host networking), through LiveKitContainer.
describe.runIf(!unavailable)('livekit-server container target', () => {
  let server: StartedLiveKitContainer;
  const notices: string[] = [];
  const workers: RawWorker[] = [];

  beforeAll(async () => {
    server = await new LiveKitContainer({ log: (l) => notices.push(l) }).withKeys('devkey', 'secret_secret_secret_secret_secret_0').start();
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.close()));
    await server?.dispose();
  }, 30_000);

  it('starts the local image on 127.0.0.1 and answers GET / with 200; its logs are captured', async () => {
    expect(server.kind).toBe('livekit-container');
    expect(server.image).toBe(LIVEKIT_LOCAL_IMAGE);
    expect(new URL(server.httpUrl).hostname).toBe('127.0.0.1');
    expect((await fetch(`${server.httpUrl}/`)).status).toBe(200);
    await eventually(() => (server.logs().some((l) => l.includes('starting LiveKit server') && l.includes('"version": "1.13.5"')) ? '' : 'no start line in the logs yet'));
    expect(server.logs().join('\n')).toContain('"bindAddresses": ["127.0.0.1"]');
  });

  it('says once why the reaper (Ryuk) is disabled: this Docker has no bridge network', () => {
    // with the lab's dockerd (no bridge) and no registry, the reaper cannot be had
    expect(process.env.TESTCONTAINERS_RYUK_DISABLED).toBe('true');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/reaper \(Ryuk\) disabled: .+; the lab removes its containers/);
  });

  it('records a raw worker through the wire tap, and a CreateRoom job offered and assigned', async () => {
    const w = new RawWorker({ url: server.workerWsUrl, apiKey: server.apiKey, apiSecret: server.apiSecret, agentName: 'ct-worker', jobType: JobType.JT_ROOM });
    workers.push(w);
    await (await w.connect()).register();
    await eventually(() => (of(server.trace.events(), 'worker.registered').some((e) => e.workerId === w.workerId && e.agentName === 'ct-worker') ? '' : 'no worker.registered yet'));
    expect(w.workerId).toMatch(/^AW_/);

    await new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret).createRoom({ name: 'ct-room', agents: [{ agentName: 'ct-worker' } as never] });
    const created = () => of(server.trace.events(), 'job.created').find((e) => e.room === 'ct-room');
    await eventually(() => (created() ? '' : 'no job.created for ct-room'), { timeoutMs: 15_000 });
    expect(created()).toMatchObject({ jobType: 'JT_ROOM', agentName: 'ct-worker' });
    await eventually(() => (of(server.trace.events(), 'job.assigned').some((e) => e.jobId === created()!.jobId && e.workerId === w.workerId) ? '' : 'no job.assigned yet'), {
      timeoutMs: 15_000,
    });
    await eventually(() => (w.of('assignment').length > 0 ? '' : 'worker has not received the assignment'));
  }, 60_000);

  it('dispose removes the container and is idempotent', async () => {
    const other = await new LiveKitContainer({ log: () => undefined }).start();
    const id = other.container.getId();
    await Promise.all([other.dispose(), other.dispose()]);
    await expect(fetch(`${other.httpUrl}/`)).rejects.toThrow();
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    expect((await client.container.list()).some((c) => c.Id === id)).toBe(false);
  }, 60_000);
});

describe('livekit-server container target: runtime', () => {
  guardContainer(unavailable, 'LiveKitContainer tests');
  it.runIf(!unavailable)('has Docker and the local image (scripts/docker-up.sh, scripts/build-livekit-image.sh)', () => expect(process.env.DOCKER_HOST).toMatch(/^unix:\/\//));
});
