import { RoomAgentDispatch, RoomConfiguration } from '@livekit/protocol';
import { SipClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import { startRedis, type StartedRedis } from '../../targets/redis-server.ts';
import { twirpCall, type TwirpAnswer } from '../sip/twirp-call.ts';

type Target = StartedMockServer | StartedLiveKitServer;
const ADMIN = { sip: { admin: true } };
const CALL = { sip: { call: true } };

/** Ids are random on both servers: replace each by its order of first appearance (ST#1, SDR#2 …). */
function normalizer() {
  const seen = new Map<string, string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(/\b(ST|SDR|SCL)_[2-9A-HJ-NP-Za-km-z]{12}\b/g, (id, prefix: string) => {
        if (!seen.has(id)) seen.set(id, `${prefix}#${seen.size + 1}`);
        return seen.get(id)!;
      });
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  // lists are sorted by id on both servers, and ids are random: compare them in name order (ids still normalized first)
  const byName = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(byName);
    if (!v || typeof v !== 'object') return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, byName(x)]));
    if (Array.isArray(o.items)) o.items = [...o.items].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    return o;
  };
  return (a: TwirpAnswer) => byName(walk(a.status === 200 ? { status: 200, body: a.body } : { status: a.status, code: a.code, msg: a.msg, meta: a.meta }));
}

/** The same SIP API calls, in order; every answer normalized. */
async function runSteps(t: Target): Promise<unknown[]> {
  const norm = normalizer();
  const out: unknown[] = [];
  const call = async (method: string, body: unknown, grants: Parameters<typeof twirpCall>[4] = ADMIN) => {
    const a = await twirpCall(t, 'SIP', method, body, grants);
    out.push({ step: `${method} ${JSON.stringify(body).replace(/(ST|SDR)_[2-9A-HJ-NP-Za-km-z]{12}/g, '$1_id').slice(0, 80)}`, ...(norm(a) as object) });
    return a;
  };
  // grants
  await call('ListSIPInboundTrunk', {}, { video: { roomAdmin: true } });
  await call('CreateSIPParticipant', { sip_trunk_id: 'x', sip_call_to: '1', room_name: 'r' }, ADMIN);
  // inbound trunks: validation, creation, conflicts
  await call('CreateSIPInboundTrunk', {});
  await call('CreateSIPInboundTrunk', { trunk: { name: 'open' } });
  await call('CreateSIPInboundTrunk', { trunk: { sip_trunk_id: 'ST_x', numbers: ['+1'] } });
  // two number-less trunks while nothing else is stored (the conflict message's order depends on the stored ids)
  const a1 = await call('CreateSIPInboundTrunk', { trunk: { name: 'by-address', allowed_addresses: ['10.0.0.0/8'] } });
  await call('CreateSIPInboundTrunk', { trunk: { name: 'by-address-2', allowed_addresses: ['192.168.0.1'] } });
  // number-less trunks are in every conflict check: removed so the next ones see a single stored trunk
  await call('DeleteSIPTrunk', { sip_trunk_id: (a1.body as { sip_trunk_id: string }).sip_trunk_id });
  const t1 = await call('CreateSIPInboundTrunk', { trunk: { name: 'main', numbers: ['+18885550100'], metadata: 'm' } });
  await call('CreateSIPInboundTrunk', { trunk: { name: 'dup', numbers: ['1 (888) 555-0100'] } });
  await call('CreateSIPInboundTrunk', { trunk: { name: 'allowed', numbers: ['+18885550100'], allowed_numbers: ['+15550001111'] } });
  await call('CreateSIPInboundTrunk', { trunk: { name: 'auth', numbers: ['+18885550199'], auth_username: 'u', auth_password: 'p' } });
  const trunkId = (t1.body as { sip_trunk_id: string }).sip_trunk_id;
  await call('GetSIPInboundTrunk', {});
  await call('GetSIPInboundTrunk', { sip_trunk_id: 'ST_unknown' });
  await call('GetSIPInboundTrunk', { sip_trunk_id: trunkId });
  await call('ListSIPInboundTrunk', {});
  await call('ListSIPInboundTrunk', { numbers: ['18885550100'] });
  await call('UpdateSIPInboundTrunk', { sip_trunk_id: trunkId, update: { name: 'renamed', numbers: { add: ['+18885550101'] } } });
  await call('UpdateSIPInboundTrunk', { sip_trunk_id: 'ST_unknown', update: { name: 'x' } });
  await call('UpdateSIPInboundTrunk', { sip_trunk_id: trunkId });
  // outbound trunks
  await call('CreateSIPOutboundTrunk', { trunk: { name: 'o' } });
  await call('CreateSIPOutboundTrunk', { trunk: { name: 'o', numbers: ['+15550000000'] } });
  await call('CreateSIPOutboundTrunk', { trunk: { name: 'o', numbers: ['+15550000000'], address: 'sip:carrier.example' } });
  const o1 = await call('CreateSIPOutboundTrunk', { trunk: { name: 'out', numbers: ['+15550000000'], address: 'carrier.example', transport: 'SIP_TRANSPORT_TCP' } });
  const outId = (o1.body as { sip_trunk_id: string }).sip_trunk_id;
  await call('GetSIPOutboundTrunk', { sip_trunk_id: outId });
  await call('ListSIPOutboundTrunk', { numbers: ['+15550000000'] });
  await call('UpdateSIPOutboundTrunk', { sip_trunk_id: outId, replace: { name: 'replaced', numbers: ['+15550000001'], address: 'carrier2.example' } });
  await call('ListSIPTrunk', {});
  // a valid call with no livekit-sip running: nobody claims the psrpc request (~1 s), then unavailable
  const noBridge = await call('CreateSIPParticipant', { sip_trunk_id: outId, sip_call_to: '+15551112222', room_name: 'r', wait_until_answered: true }, CALL);
  out.push({ step: 'no bridge took about 1 s', ok: noBridge.ms >= 900 && noBridge.ms < 5_000 });
  // dispatch rules: both request shapes
  await call('CreateSIPDispatchRule', {});
  await call('CreateSIPDispatchRule', { dispatch_rule: { sip_dispatch_rule_id: 'SDR_x', rule: { dispatch_rule_direct: { room_name: 'a' } } } });
  const r1 = await call('CreateSIPDispatchRule', {
    rule: { dispatch_rule_individual: { room_prefix: 'call' } },
    trunk_ids: [trunkId],
    name: 'individual',
    metadata: 'meta',
    attributes: { team: 'sales' },
    room_config: { agents: [{ agent_name: 'receptionist', metadata: '{"x":1}' }] },
  });
  await call('CreateSIPDispatchRule', { rule: { dispatch_rule_callee: { room_prefix: 'c' } }, trunk_ids: [trunkId], name: 'same key' });
  await call('CreateSIPDispatchRule', { dispatch_rule: { rule: { dispatch_rule_direct: { room_name: 'lobby', pin: '1234' } }, trunk_ids: [trunkId], name: 'pin' } });
  await call('CreateSIPDispatchRule', { dispatch_rule: { rule: { dispatch_rule_callee: { room_prefix: 'c', randomize: true } }, hide_phone_number: true, name: 'anywhere' } });
  const ruleId = (r1.body as { sip_dispatch_rule_id: string }).sip_dispatch_rule_id;
  await call('ListSIPDispatchRule', {});
  await call('ListSIPDispatchRule', { trunk_ids: ['ST_other'] });
  await call('UpdateSIPDispatchRule', { sip_dispatch_rule_id: ruleId, update: { name: 'renamed', attributes: { team: '', tier: 'gold' } } });
  await call('UpdateSIPDispatchRule', { sip_dispatch_rule_id: 'SDR_unknown', update: { name: 'x' } });
  await call('DeleteSIPDispatchRule', {});
  await call('DeleteSIPDispatchRule', { sip_dispatch_rule_id: 'SDR_unknown' });
  await call('DeleteSIPDispatchRule', { sip_dispatch_rule_id: ruleId });
  await call('DeleteSIPTrunk', { sip_trunk_id: 'ST_unknown' });
  await call('DeleteSIPTrunk', {});
  await call('DeleteSIPTrunk', { sip_trunk_id: outId });
  await call('ListSIPOutboundTrunk', {});
  await call('CreateSIPTrunk', { outbound_number: '+1' });
  // CreateSIPParticipant / Transfer validation (no livekit-sip on either: the valid one times out alike)
  await call('CreateSIPParticipant', {}, CALL);
  await call('CreateSIPParticipant', { sip_trunk_id: 'ST_unknown', room_name: 'r' }, CALL);
  await call('CreateSIPParticipant', { sip_trunk_id: 'ST_unknown', sip_call_to: 'a@b', room_name: 'r' }, CALL);
  await call('CreateSIPParticipant', { sip_trunk_id: 'ST_unknown', sip_call_to: '+1555', room_name: '' }, CALL);
  await call('CreateSIPParticipant', { sip_trunk_id: 'ST_unknown', sip_call_to: '+1555', room_name: 'r' }, CALL);
  await call('CreateSIPParticipant', { sip_trunk_id: 'ST_unknown', sip_call_to: '+1555', room_name: 'r', display_name: 'd'.repeat(129) }, CALL);
  await call('CreateSIPParticipant', { sip_trunk_id: 'ST_unknown', sip_call_to: '+1555', room_name: 'r', destination: { country: 'usa' } }, CALL);
  await call('TransferSIPParticipant', {}, CALL);
  await call('TransferSIPParticipant', { room_name: 'r' }, CALL);
  await call('TransferSIPParticipant', { room_name: 'r', participant_identity: 'p' }, CALL);
  await call('TransferSIPParticipant', { room_name: 'r', participant_identity: 'p' }, { ...CALL, video: { roomAdmin: true, room: 'r' } });
  await call('TransferSIPParticipant', { room_name: 'r', participant_identity: 'p', transfer_to: 'http://x' }, { ...CALL, video: { roomAdmin: true, room: 'r' } });
  await call('TransferSIPParticipant', { room_name: 'r', participant_identity: 'p', transfer_to: 'tel:+1555' }, { ...CALL, video: { roomAdmin: true, room: 'r' } });
  return out;
}

/** The SDK's own request shapes (SipClient 2.19.2): legacy dispatch-rule fields, camelCase JSON. */
async function runSdk(t: Target): Promise<unknown> {
  const sip = new SipClient(t.httpUrl, t.apiKey, t.apiSecret);
  const trunk = await sip.createSipInboundTrunk('sdk', ['+14440000000'], { allowedNumbers: ['+13330000000'], krispEnabled: true, ringingTimeout: 20 });
  const rule = await sip.createSipDispatchRule(
    { type: 'individual', roomPrefix: 'sdk' },
    { trunkIds: [trunk.sipTrunkId], name: 'sdk-rule', attributes: { a: 'b' }, roomConfig: new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: 'bot' })] }) },
  );
  const out = await sip.createSipOutboundTrunk('sdk-out', 'pbx.example', ['+12220000000']);
  const lists = [await sip.listSipInboundTrunk(), await sip.listSipDispatchRule(), await sip.listSipOutboundTrunk()];
  const err = await sip.createSipParticipant('ST_unknown', '+1', 'r').catch((e: { status?: number; code?: string; message?: string }) => ({ status: e.status, code: e.code, message: e.message }));
  const strip = (x: { toJson(): unknown }) => JSON.parse(JSON.stringify(x.toJson()).replace(/(ST|SDR)_[2-9A-HJ-NP-Za-km-z]{12}/g, '$1_id'));
  const byName = (a: { name?: string }, b: { name?: string }) => String(a.name).localeCompare(String(b.name));
  return { trunk: strip(trunk), rule: strip(rule), out: strip(out), lists: lists.map((l) => l.map(strip).sort(byName)), err };
}

describe('differential: the SIP Twirp API, mock vs livekit-server v1.13.5 with Redis', () => {
  let redis: StartedRedis;
  let real: StartedLiveKitServer;
  let mock: StartedMockServer;
  beforeAll(async () => {
    redis = await startRedis();
    [real, mock] = await Promise.all([startLiveKitServer({ redisAddress: redis.address }), startMockServer({ port: 0, rtc: false })]);
    // no livekit-sip runs next to the real server: the mock's bridge is switched off to compare
    mock.core.telephony.setMode({ store: 'memory', bridge: 'absent' });
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([mock?.close(), real?.dispose()]);
    await redis?.dispose();
  }, 30_000);

  it('CRUD, validation, conflicts, grants and errors: the same answers in the same order', async () => {
    const [m, r] = await Promise.all([runSteps(mock), runSteps(real)]);
    if (process.env.SIP_DIFF_DUMP) {
      const { writeFileSync } = await import('node:fs');
      const sorted = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)])) : v;
      writeFileSync(`${process.env.SIP_DIFF_DUMP}.mock.json`, JSON.stringify(sorted(m), null, 1));
      writeFileSync(`${process.env.SIP_DIFF_DUMP}.real.json`, JSON.stringify(sorted(r), null, 1));
    }
    expect(m).toEqual(r);
  }, 120_000);

  it("the SDK's request shapes give the same objects", async () => {
    const [m, r] = await Promise.all([runSdk(mock), runSdk(real)]);
    expect(m).toEqual(r);
  }, 60_000);

  it('without Redis (--dev), every SIP method answers internal "sip not connected (redis required)"', async () => {
    await using devReal = await startLiveKitServer();
    await using devMock = await startMockServer({ port: 0, rtc: false });
    devMock.core.telephony.setMode({ store: 'none', bridge: 'absent' });
    const calls: [string, unknown, Parameters<typeof twirpCall>[4]][] = [
      ['ListSIPInboundTrunk', {}, ADMIN],
      ['ListSIPOutboundTrunk', {}, ADMIN],
      ['ListSIPDispatchRule', {}, ADMIN],
      ['ListSIPTrunk', {}, ADMIN],
      ['CreateSIPInboundTrunk', { trunk: { numbers: ['+1'] } }, ADMIN],
      ['DeleteSIPTrunk', {}, ADMIN],
      ['CreateSIPParticipant', {}, CALL],
      ['ListSIPInboundTrunk', {}, CALL],
      ['TransferSIPParticipant', { room_name: 'r', participant_identity: 'p' }, CALL],
    ];
    for (const [method, body, grants] of calls) {
      const [m, r] = await Promise.all([twirpCall(devMock, 'SIP', method, body, grants), twirpCall(devReal, 'SIP', method, body, grants)]);
      expect({ status: m.status, code: m.code, msg: m.msg }, method).toEqual({ status: r.status, code: r.code, msg: r.msg });
    }
  }, 60_000);
});
