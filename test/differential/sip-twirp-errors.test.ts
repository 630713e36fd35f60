import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointOf as ep } from '../../fuzz/agent-probe.ts';
import { twirpInputAt } from '../../fuzz/fuzz-run.ts';
import { joinUrl } from '../../fuzz/rtc-probe.ts';
import { adminToken } from '../../fuzz/tokens.ts';
import { sendTwirp } from '../../fuzz/twirp-bodies.ts';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import { SignalClient } from '../rtc/signal-client.ts';
import { errorShape, twirpCall } from '../sip/twirp-call.ts';

/**
 * Issue 12's error-code items, the same calls on the mock and on livekit-server v1.13.5 (single node, no
 * Redis, as `--dev`): status, code, message and meta must be equal.
 */
describe('differential: Twirp error codes clients see (mock vs livekit-server, no Redis)', () => {
  let mock: StartedMockServer;
  let real: StartedLiveKitServer;
  const clients: SignalClient[] = [];
  beforeAll(async () => {
    [mock, real] = await Promise.all([startMockServer({ port: 0 }), startLiveKitServer()]);
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.allSettled([mock?.close(), real?.dispose()]);
  }, 30_000);
  const both = () => [mock, real] as const;

  it('ForwardParticipant / MoveParticipant on a connected participant: unknown "not implemented"', async () => {
    for (const t of both()) {
      const { url, token } = joinUrl(ep(t), 'fw-src', 'alice', 1);
      const c = await SignalClient.open(url, token);
      clients.push(c);
      await c.next('join');
    }
    const video = { roomAdmin: true, room: 'fw-src', destinationRoom: 'fw-dst' };
    for (const method of ['ForwardParticipant', 'MoveParticipant']) {
      const [m, r] = await Promise.all(both().map((t) => twirpCall(t, 'RoomService', method, { room: 'fw-src', identity: 'alice', destination_room: 'fw-dst' }, { video })));
      expect(errorShape(m), method).toEqual(errorShape(r));
      expect(r.code).toBe('unknown');
    }
  }, 60_000);

  it('Egress and Ingress without Redis: internal "… not connected (redis required)", after the same checks', async () => {
    const calls: [string, string, unknown, { roomRecord?: boolean; ingressAdmin?: boolean }][] = [
      ['Egress', 'ListEgress', {}, { roomRecord: true }],
      ['Egress', 'ListEgress', { room_name: 'x' }, {}],
      ['Egress', 'UpdateLayout', { egress_id: 'EG_x', layout: 'grid' }, { roomRecord: true }],
      ['Egress', 'StopEgress', { egress_id: 'EG_x' }, { roomRecord: true }],
      ['Egress', 'UpdateStream', { egress_id: 'EG_x' }, { roomRecord: true }],
      ['Ingress', 'ListIngress', {}, { ingressAdmin: true }],
      ['Ingress', 'ListIngress', {}, { roomRecord: true }],
      ['Ingress', 'CreateIngress', { name: 'in' }, { ingressAdmin: true }],
      ['Ingress', 'UpdateIngress', { ingress_id: 'IN_x' }, { ingressAdmin: true }],
      ['Ingress', 'DeleteIngress', { ingress_id: 'IN_x' }, { ingressAdmin: true }],
    ];
    const answers = await Promise.all(calls.map(([s, m, body, video]) => Promise.all(both().map((t) => twirpCall(t, s, m, body, { video })))));
    answers.forEach(([m, r], i) => expect(errorShape(m), `${calls[i]![0]}.${calls[i]![1]}`).toEqual(errorShape(r)));
    expect(answers[0]![1].msg).toBe('twirp error unknown: egress not connected (redis required)');
    expect(answers[5]![1].msg).toBe('twirp error unknown: ingress not connected (redis required)');
  }, 60_000);

  it('fuzz seed 20789: every input naming twirp:142\'s room gets the same answer, in order, on both servers', async () => {
    // the differential run's inputs (prefix fzd<seed % 1000>-), replayed one at a time: before the fix, input 70
    // created that room with a 1 s empty timeout, and whether #142 still found it depended on the ticker phase
    const seed = 20789;
    const last = twirpInputAt(seed, 142, 'fzd789-');
    const inputs = Array.from({ length: 143 }, (_, i) => twirpInputAt(seed, i, 'fzd789-')).filter((x) => x.room === last.room);
    expect(inputs.length).toBeGreaterThan(5);
    for (const input of inputs) {
      const [m, r] = await Promise.all(both().map((t) => sendTwirp(t.httpUrl, input, adminToken(t, input.room))));
      expect(m, input.label).toEqual(r);
    }
    expect(inputs.at(-1)!.label).toBe('UpdateRoomMetadata: valid request');
    // and no generated room can expire within a run
    const timeouts = Array.from({ length: 2000 }, (_, i) => twirpInputAt(seed, i, 'x-'))
      .filter((x) => x.method === 'CreateRoom' && x.category === 'valid')
      .map((x) => (JSON.parse(x.body.toString()) as { emptyTimeout?: number }).emptyTimeout ?? 0);
    expect(timeouts.length).toBeGreaterThan(10);
    expect(timeouts.filter((t) => t > 0 && t < 300)).toEqual([]);
  }, 120_000);
});
