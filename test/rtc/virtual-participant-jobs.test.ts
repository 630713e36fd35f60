import { JobType } from '@livekit/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';
import { roomToken } from './signal-client.ts';

// Virtual participants need no WebRTC: these run on 127.0.0.1.
describe('JT_PARTICIPANT / JT_PUBLISHER with virtual participants (control API)', () => {
  let server: StartedMockServer;
  const workers: RawWorker[] = [];
  beforeEach(async () => {
    server = await startMockServer({ port: 0, timing: 'fast' });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await server.close();
  });

  const worker = async (jobType: JobType) => {
    const w = await new RawWorker({ url: server.wsUrl, apiKey: server.apiKey, apiSecret: server.apiSecret, jobType }).connect();
    workers.push(w);
    return w.register();
  };
  const control = async (method: string, path: string, body?: unknown) => {
    const token = await roomToken(server.apiKey, server.apiSecret, 'admin', { roomAdmin: true, room: 'r1' });
    const res = await fetch(`${server.httpUrl}/_lab${path}`, { method, headers: { Authorization: `Bearer ${token}` }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const assigned = (w: RawWorker) => w.of('assignment').map((a) => `${JobType[a.job!.type]}:${a.job!.participant?.identity}`);

  it('one JT_PARTICIPANT per joining participant, one JT_PUBLISHER on the first published track, none for agents', async () => {
    const participantWorker = await worker(JobType.JT_PARTICIPANT);
    const publisherWorker = await worker(JobType.JT_PUBLISHER);
    expect((await control('POST', '/rooms/r1/participants', { identity: 'carol' })).status).toBe(201);
    expect((await control('POST', '/rooms/r1/participants', { identity: 'dan' })).status).toBe(201);
    expect((await control('POST', '/rooms/r1/participants', { identity: 'bot', kind: 'agent' })).status).toBe(201);
    await eventually(() => (participantWorker.of('assignment').length === 2 ? '' : `assignments: ${assigned(participantWorker)}`));
    expect((await control('POST', '/rooms/r1/participants/carol/publish', { type: 'audio' })).json.first).toBe(true);
    expect((await control('POST', '/rooms/r1/participants/carol/publish', { type: 'video' })).json.first).toBe(false);
    expect((await control('POST', '/rooms/r1/participants/bot/publish', { type: 'audio' })).json.first).toBe(true);
    await eventually(() => (publisherWorker.of('assignment').length === 1 ? '' : 'no JT_PUBLISHER assignment yet'));
    // let any wrongly-launched job reach the workers before counting
    await eventually(() => (server.trace.since(0).filter((e) => e.kind === 'job.assigned').length === 3 ? '' : 'waiting for the three assignments'));
    expect(assigned(participantWorker).sort()).toEqual(['JT_PARTICIPANT:carol', 'JT_PARTICIPANT:dan']);
    expect(assigned(publisherWorker)).toEqual(['JT_PUBLISHER:carol']);
  });
});
