import { RoomAgentDispatch, RoomConfiguration, SIPDispatchRule, SIPDispatchRuleCallee, SIPDispatchRuleDirect, SIPDispatchRuleIndividual, SIPDispatchRuleInfo } from '@livekit/protocol';
import { SipClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import { startRedis, type StartedRedis } from '../../targets/redis-server.ts';
import { buildSipProbe, SipProbe } from '../sip/sip-probe.ts';
import { twirpCall } from '../sip/twirp-call.ts';

type Target = StartedMockServer | StartedLiveKitServer;

interface CallCase {
  from: string;
  to: string;
  src?: string;
  pin?: string;
  noPin?: boolean;
}

const CASES: CallCase[] = [
  { from: '+15557654321', to: '+18885550100' }, // a PIN rule on the trunk beats the open one: REQUEST_PIN
  { from: '+15557654321', to: '+18885550100', noPin: true },
  { from: '+15557654321', to: '+18885550100', pin: '1234' },
  { from: '+15557654321', to: '+18885550100', pin: '9999' },
  { from: '+15557654321', to: '+19995550000' }, // no trunk: the trunk-less callee rule, hidden number
  { from: '15557654321', to: '18885550100', noPin: true }, // normalized trunk match, raw number in the room
  { from: '+15550001111', to: '+18885550100', noPin: true }, // two specific trunks match
  { from: '+15552223333', to: '+17770000000' }, // trunk-less rule with numbers beats the open one
  { from: '+15550009999', to: '+17770000000' }, // its inbound_numbers filter it out
  { from: '+15557654321', to: '+18885550200', src: '10.1.2.3' }, // trunk by source address
  { from: '+15557654321', to: '+18885550200', src: '192.168.1.1' }, // address not allowed: no trunk
  { from: '+15557654321', to: '17770000000' }, // rule numbers compare exactly
];

/** The same trunks and rules on one server; returns id → name for normalizing answers. */
async function setUp(t: Target): Promise<Map<string, string>> {
  const sip = new SipClient(t.httpUrl, t.apiKey, t.apiSecret);
  const names = new Map<string, string>();
  const trunk = async (name: string, numbers: string[], opts: Parameters<SipClient['createSipInboundTrunk']>[2] = {}) => {
    const id = (await sip.createSipInboundTrunk(name, numbers, opts)).sipTrunkId;
    names.set(id, name);
    return id;
  };
  const main = await trunk('main', ['+18885550100']);
  const vip = await trunk('vip', ['+18885550100'], { allowedNumbers: ['+15550001111'] });
  const secure = await trunk('secure', ['+18885550200'], { allowedAddresses: ['10.0.0.0/8'] });
  const rule = async (name: string, info: Partial<SIPDispatchRuleInfo>) => {
    // the newer request shape (dispatch_rule), so numbers and inbound_numbers can be set
    const a = await twirpCall(t, 'SIP', 'CreateSIPDispatchRule', { dispatch_rule: new SIPDispatchRuleInfo({ name, ...info }).toJson() }, { sip: { admin: true } });
    if (a.status !== 200) throw new Error(`rule ${name}: ${a.msg}`);
    names.set((a.body as { sip_dispatch_rule_id: string }).sip_dispatch_rule_id, name);
  };
  const individual = (roomPrefix: string) => new SIPDispatchRule({ rule: { case: 'dispatchRuleIndividual', value: new SIPDispatchRuleIndividual({ roomPrefix }) } });
  const direct = (roomName: string, pin = '') => new SIPDispatchRule({ rule: { case: 'dispatchRuleDirect', value: new SIPDispatchRuleDirect({ roomName, pin }) } });
  const callee = (roomPrefix: string, randomize: boolean) => new SIPDispatchRule({ rule: { case: 'dispatchRuleCallee', value: new SIPDispatchRuleCallee({ roomPrefix, randomize }) } });
  await rule('individual', {
    rule: individual('call'),
    trunkIds: [main],
    metadata: 'meta',
    attributes: { team: 'sales' },
    roomConfig: new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: 'receptionist', metadata: 'm' })] }),
  });
  await rule('pin', { rule: direct('lobby', '1234'), trunkIds: [main] });
  await rule('anywhere', { rule: callee('c', true), hidePhoneNumber: true });
  await rule('vip-room', { rule: direct('vip-room'), trunkIds: [vip] });
  await rule('seven', { rule: direct('seven'), numbers: ['+17770000000'], inboundNumbers: ['+15552223333'] });
  await rule('secure', { rule: callee('s', false), trunkIds: [secure] });
  return names;
}

/** Ids become names, random room suffixes and call ids a placeholder, empty fields go. */
function normalize(answer: Record<string, any>, names: Map<string, string>): Record<string, unknown> {
  if (answer.error) return { error: String(answer.error).replace(/^twirp error [a-z_]+: /, '') };
  const id = (v: string | undefined) => (v ? (names.get(v) ?? v) : '');
  const attrs = { ...(answer.participant_attributes ?? {}) } as Record<string, string>;
  delete attrs['sip.callID'];
  for (const k of ['sip.trunkID', 'sip.ruleID']) if (k in attrs) attrs[k] = id(attrs[k]);
  return {
    result: answer.result ?? 'ACCEPT',
    trunk: id(answer.sip_trunk_id),
    rule: id(answer.sip_dispatch_rule_id),
    room: String(answer.room_name ?? '').replace(/_[2-9A-HJ-NP-Za-km-z]{12}$/, '_<random>'),
    identity: answer.participant_identity ?? '',
    name: answer.participant_name ?? '',
    metadata: answer.participant_metadata ?? '',
    attributes: attrs,
    agents: (answer.room_config?.agents ?? []).map((a: { agent_name?: string; agentName?: string }) => a.agent_name ?? a.agentName),
  };
}

/** The mock's evaluation in the response's shape. */
function mockAnswer(mock: StartedMockServer, c: CallCase): Record<string, any> {
  const src = c.src ?? '127.0.0.1';
  const ev = mock.core.telephony.evaluateCall({ from: c.from, to: c.to, sourceIp: src, fromHost: src, pin: c.pin, noPin: c.noPin });
  if (ev.result === 'error') return { error: ev.error };
  if (ev.result === 'drop') return { result: 'DROP', sip_trunk_id: ev.trunkId };
  if (ev.result === 'request_pin') return { result: 'REQUEST_PIN', sip_trunk_id: ev.trunkId, sip_dispatch_rule_id: ev.ruleId };
  return {
    sip_trunk_id: ev.trunkId,
    sip_dispatch_rule_id: ev.ruleId,
    room_name: ev.room,
    participant_identity: ev.identity,
    participant_name: ev.name,
    participant_metadata: ev.metadata,
    participant_attributes: ev.attributes,
    room_config: ev.roomConfig?.toJson({ useProtoFieldName: true }),
  };
}

describe("differential: inbound call matching, the mock vs livekit-server's own matcher (psrpc EvaluateSIPDispatchRules)", () => {
  let redis: StartedRedis;
  let real: StartedLiveKitServer;
  let mock: StartedMockServer;
  let probe: SipProbe;
  let built: ReturnType<typeof buildSipProbe>;
  beforeAll(async () => {
    built = buildSipProbe();
    redis = await startRedis();
    [real, mock] = await Promise.all([startLiveKitServer({ redisAddress: redis.address }), startMockServer({ port: 0, rtc: false })]);
    probe = new SipProbe(built.bin, redis.address);
  }, 180_000);
  afterAll(async () => {
    probe?.close();
    await Promise.allSettled([mock?.close(), real?.dispose()]);
    await redis?.dispose();
    built?.dispose();
  }, 30_000);

  it('trunk and rule precedence, PINs, room names, identities and attributes agree call by call', async () => {
    const [mockNames, realNames] = await Promise.all([setUp(mock), setUp(real)]);
    for (const c of CASES) {
      const src = c.src ?? '127.0.0.1';
      const realAnswer = await probe.evaluate({ sip_call_id: 'SCL_probe', calling_number: c.from, called_number: c.to, src_address: src, calling_host: src, called_host: 'lab.invalid', pin: c.pin ?? '', no_pin: !!c.noPin });
      const r = normalize(realAnswer, realNames);
      const m = normalize(mockAnswer(mock, c), mockNames);
      if (process.env.SIP_MATCH_DUMP) console.log(JSON.stringify(r));
      expect(m, `${c.from} → ${c.to}${c.pin ? ` pin ${c.pin}` : ''}${c.noPin ? ' no_pin' : ''}${c.src ? ` from ${c.src}` : ''}`).toEqual(r);
    }
  }, 60_000);
});
