import { JobStatus, RoomAgentDispatch, UpdateJobStatus } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { compareOutcomes, formatDiff, normalizeTrace, unexpectedDifferences } from '../../differential/index.ts';
import { startMockServer } from '../../mock-server/index.ts';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { startLiveKitServer } from '../../targets/livekit-binary.ts';
import { startLiveKitContainer } from '../../targets/livekit-container.ts';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';
import { containerUnavailableReason, guardContainer } from '../targets/livekit-container-env.ts';

const ended = (events: TraceEvent[], room: string, outcome: string, jobRooms: Map<string, string>) =>
  events.some((e) => e.kind === 'job.ended' && e.outcome === outcome && jobRooms.get(e.jobId) === room);

/**
 * The same raw-worker steps on the mock and on the real server; their normalized traces must agree.
 * This checks the wire tap against the mock's own recording, event kind by event kind.
 */
async function runSteps(target: LiveKitTarget): Promise<TraceEvent[]> {
  const url = target.workerWsUrl ?? target.wsUrl;
  const mk = (o: Partial<ConstructorParameters<typeof RawWorker>[0]>) => new RawWorker({ url, apiKey: target.apiKey, apiSecret: target.apiSecret, ...o });
  const acceptor = mk({});
  const picky = mk({ agentName: 'picky', answer: () => ({ available: false }) });
  const decliner = mk({ agentName: 'decliner', answer: () => ({ terminate: true }) });
  for (const w of [acceptor, picky, decliner]) await (await w.connect()).register();

  const rooms = new RoomServiceClient(target.httpUrl, target.apiKey, target.apiSecret);
  const jobRooms = new Map<string, string>();
  target.trace.onEvent((e) => e.kind === 'job.created' && jobRooms.set(e.jobId, e.room));
  const events = () => target.trace.events();
  const assigned = (room: string) => acceptor.of('assignment').find((a) => a.job?.room?.name === room);

  await rooms.createRoom({ name: 'dx-accept' });
  await rooms.createRoom({ name: 'dx-complete' });
  await rooms.createRoom({ name: 'dx-reject', agents: [new RoomAgentDispatch({ agentName: 'picky' })] });
  await rooms.createRoom({ name: 'dx-decline', agents: [new RoomAgentDispatch({ agentName: 'decliner' })] });
  await eventually(() => (assigned('dx-accept') && assigned('dx-complete') ? '' : 'acceptor has not been assigned both rooms'), { timeoutMs: 15_000 });
  await eventually(() => (ended(events(), 'dx-decline', 'declined', jobRooms) ? '' : 'dx-decline not declined yet'), { timeoutMs: 15_000 });
  await eventually(() => (events().some((e) => e.kind === 'job.rejected' && jobRooms.get(e.jobId) === 'dx-reject') ? '' : 'dx-reject not rejected yet'), {
    timeoutMs: 15_000,
  });

  acceptor.send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: assigned('dx-complete')!.job!.id, status: JobStatus.JS_SUCCESS }) });
  await eventually(() => (ended(events(), 'dx-complete', 'completed', jobRooms) ? '' : 'dx-complete not completed yet'));
  await acceptor.close();
  await eventually(() => (ended(events(), 'dx-accept', 'orphaned', jobRooms) ? '' : 'dx-accept not orphaned yet'));
  await Promise.all([picky.close(), decliner.close()]);
  await eventually(() => (events().filter((e) => e.kind === 'worker.closed').length >= 3 ? '' : 'not every worker.closed recorded yet'));
  return events();
}

const noContainer = containerUnavailableReason();

describe('differential: mock vs livekit-server on the same raw-worker steps', () => {
  const targets: LiveKitTarget[] = [];
  afterAll(async () => {
    await Promise.allSettled(targets.map((t) => t.dispose()));
  }, 30_000);
  guardContainer(noContainer, 'mock vs the container');

  // the binary, and the same server in a container (the local image, host networking)
  const backends = [{ name: 'the binary', start: () => startLiveKitServer() }, ...(noContainer ? [] : [{ name: 'a container', start: () => startLiveKitContainer() }])];
  it.each(backends)('gives the same outcome-level trace on $name', async ({ start }) => {
    const mock = await startMockServer({ port: 0 });
    targets.push(mock);
    const real = await start();
    targets.push(real);
    const [mockEvents, realEvents] = [await runSteps(mock), await runSteps(real)];
    const diffs = compareOutcomes(normalizeTrace(mockEvents), normalizeTrace(realEvents));
    expect(unexpectedDifferences(diffs), formatDiff(diffs)).toEqual([]);
    const outcomes = normalizeTrace(realEvents).jobs.map((j) => `${j.room}:${j.outcome}`);
    expect(outcomes).toEqual(['dx-accept:orphaned', 'dx-complete:completed', 'dx-decline:declined', 'dx-reject:rejected']);
  }, 90_000);
});
