import { RoomAgentDispatch } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { startLiveKitCluster, type StartedLiveKitCluster } from '../../targets/livekit-cluster.ts';
import { groupAlive } from '../../targets/process-group.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';

const of = <K extends TraceEvent['kind']>(events: TraceEvent[], kind: K) => events.filter((e) => e.kind === kind) as Extract<TraceEvent, { kind: K }>[];

describe('two-node livekit-server cluster sharing a Redis', () => {
  let cluster: StartedLiveKitCluster;
  let worker: RawWorker | undefined;

  beforeAll(async () => {
    cluster = await startLiveKitCluster();
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    const pids = [cluster?.redis.pid, ...(cluster?.nodes.map((n) => n.pid) ?? [])].filter((p): p is number => p !== undefined);
    await cluster?.dispose();
    expect(pids.filter(groupAlive)).toEqual([]);
  }, 30_000);

  it('runs two nodes on different ports, both healthy', async () => {
    const [n1, n2] = cluster.nodes;
    expect(n1.httpUrl).not.toBe(n2.httpUrl);
    for (const n of cluster.nodes) expect((await fetch(`${n.httpUrl}/`)).status).toBe(200);
    expect(n2.logs().some((l) => l.includes('connecting to redis'))).toBe(true);
  });

  it('dispatches a room created on node 2 to a worker registered on node 1', async () => {
    const [n1, n2] = cluster.nodes;
    worker = new RawWorker({ url: n1.workerWsUrl, apiKey: n1.apiKey, apiSecret: n1.apiSecret, agentName: 'cross-node' });
    await worker.connect();
    await worker.register();
    const rooms = new RoomServiceClient(n2.httpUrl, n2.apiKey, n2.apiSecret);
    // pin the room to node 2, so the job must cross to node 1 through Redis
    expect(n2.nodeId).toMatch(/^ND_/);
    await rooms.createRoom({ name: 'cluster-room', nodeId: n2.nodeId, agents: [new RoomAgentDispatch({ agentName: 'cross-node' })] });
    await eventually(() => (worker!.of('assignment').length > 0 ? '' : `no assignment yet (${worker!.of('availability').length} availability requests)`), {
      timeoutMs: 20_000,
    });
    expect(worker.of('assignment')[0]?.job?.room?.name).toBe('cluster-room');
    expect(n2.logs().some((l) => l.includes('selected node for room') && l.includes('cluster-room') && l.includes(n2.nodeId!))).toBe(true);
    expect(n1.logs().some((l) => l.includes('assigned job to worker') && l.includes('cluster-room'))).toBe(true);
    const created = of(cluster.trace.events(), 'job.created').find((e) => e.room === 'cluster-room');
    expect(created).toMatchObject({ agentName: 'cross-node', jobType: 'JT_ROOM' });
    expect(of(cluster.trace.events(), 'job.assigned').map((e) => e.jobId)).toContain(created!.jobId);
  }, 30_000);
});
