import { ParticipantInfo_Kind, RoomAgentDispatch, RoomConfiguration } from '@livekit/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { startSipLab, statusesOf, type SipLab } from './sip-lab.ts';

const TRUNK_NUMBER = '+18885550100';
const CALLER = '+15557654321';

describe('inbound calls through the simulated SIP bridge (trunks, rules, rooms, agents)', () => {
  let lab: SipLab;
  beforeEach(async () => {
    lab = await startSipLab();
  });
  afterEach(async () => {
    await lab.close();
  });

  const trunk = () => lab.sip.createSipInboundTrunk('main', [TRUNK_NUMBER]);
  const call = async (body: Record<string, unknown>) => (await lab.control('POST', '/sip/calls', { from: CALLER, to: TRUNK_NUMBER, ...body })).json;

  it("dispatches the rule's named agent into the room the call creates, with the bridge's participant", async () => {
    const receptionist = await lab.worker('receptionist');
    const t = await trunk();
    const rule = await lab.sip.createSipDispatchRule(
      { type: 'individual', roomPrefix: 'call' },
      { trunkIds: [t.sipTrunkId], name: 'front desk', metadata: 'vip', attributes: { team: 'sales' }, roomConfig: new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: 'receptionist', metadata: '{"greeting":"hi"}' })] }) },
    );
    const r = await call({});
    expect(r.result).toBe('accepted');
    expect(r.room).toMatch(/^call_\+15557654321_[2-9A-HJ-NP-Za-km-z]{12}$/);
    await eventually(() => (receptionist.of('assignment').some((a) => a.job?.room?.name === r.room) ? '' : 'receptionist not assigned yet'));
    const job = receptionist.of('assignment').find((a) => a.job?.room?.name === r.room)!.job!;
    expect(job.metadata).toBe('{"greeting":"hi"}');
    const [p] = await lab.rooms.listParticipants(r.room);
    expect(p).toMatchObject({ identity: `sip_${CALLER}`, name: `Phone ${CALLER}`, metadata: 'vip', kind: ParticipantInfo_Kind.SIP });
    expect(p!.attributes).toMatchObject({
      team: 'sales',
      'sip.callID': r.callId,
      'sip.trunkID': t.sipTrunkId,
      'sip.ruleID': rule.sipDispatchRuleId,
      'sip.phoneNumber': CALLER,
      'sip.trunkPhoneNumber': TRUNK_NUMBER,
      'sip.callStatus': 'ringing',
    });
    expect(p!.tracks.map((tr) => tr.type)).toEqual([0]); // its audio track
    expect(lab.events('sip.call.agents').find((e) => e.callId === r.callId)?.outcome).toBe('dispatched');
    // the SIP participant keeps the room open (it counts as a participant, not a dependent one); the count shows on
    // the room's next refresh (the cached Room, as on the real server)
    await eventually(async () => ((await lab.rooms.listRooms([r.room]))[0]?.numParticipants === 1 ? '' : 'numParticipants is not 1 yet'));

    // someone publishes audio: the bridge answers, ringing → active; then the caller hangs up
    expect((await lab.control('POST', `/rooms/${encodeURIComponent(r.room)}/participants`, { identity: 'agent-voice', kind: 'agent' })).status).toBe(201);
    await lab.control('POST', `/rooms/${encodeURIComponent(r.room)}/participants/agent-voice/publish`, { type: 'audio' });
    await eventually(async () => ((await lab.rooms.listParticipants(r.room)).find((x) => x.identity === p!.identity)?.attributes['sip.callStatus'] === 'active' ? '' : 'not active yet'));
    expect((await lab.control('POST', `/sip/calls/${r.callId}/hangup`)).status).toBe(200);
    await eventually(() => (lab.events('participant.left').some((e) => e.identity === p!.identity) ? '' : 'SIP participant still in the room'));
    expect(statusesOf(lab, r.callId)).toEqual(['ringing', 'active', 'hangup']);
    expect(lab.events('participant.left').find((e) => e.identity === p!.identity)?.reason).toBe('CLIENT_INITIATED');
  }, 30_000);

  it('a rule without agents, a room that already existed, a PIN: no job for the named agent, each explained', async () => {
    const receptionist = await lab.worker('receptionist');
    const t = await trunk();
    await lab.sip.createSipDispatchRule({ type: 'callee', roomPrefix: 'plain' }, { trunkIds: [t.sipTrunkId] });
    const noAgents = await call({});
    expect(noAgents.room).toBe(`plain_${TRUNK_NUMBER}`);
    const why = lab.events('sip.call.agents').find((e) => e.callId === noAgents.callId)!;
    expect(why.outcome).toBe('default_dispatch');
    expect(why.reason).toMatch(/names no agent/);

    // a second call to the same callee room: the room exists, so agents would not apply either
    const again = await call({ from: '+15550000002' });
    expect(lab.events('sip.call.agents').find((e) => e.callId === again.callId)!.reason).toMatch(/already existed/);

    // a PIN rule on the same trunk beats the open one
    const t2 = await lab.sip.createSipInboundTrunk('pin', ['+18885550111']);
    await lab.sip.createSipDispatchRule({ type: 'direct', roomName: 'lobby', pin: '1234' }, { trunkIds: [t2.sipTrunkId], roomConfig: new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: 'receptionist' })] }) });
    const noPin = await call({ to: '+18885550111' });
    expect(noPin.result).toBe('pin_required');
    expect(noPin.reason).toMatch(/requires a PIN/);
    const wrong = await call({ to: '+18885550111', pin: '9999#' });
    expect(wrong.result).toBe('dropped');
    expect(wrong.reason).toMatch(/wrong PIN/);
    const right = await call({ to: '+18885550111', pin: '1234#' });
    expect(right).toMatchObject({ result: 'accepted', room: 'lobby' });
    expect(statusesOf(lab, right.callId)).toEqual(['active']); // PIN calls join answered
    await eventually(() => (receptionist.of('assignment').some((a) => a.job?.room?.name === 'lobby') ? '' : 'no job in lobby yet'));
    expect(receptionist.of('assignment').filter((a) => a.job?.room?.name?.startsWith('plain_'))).toEqual([]);

    // no trunk and no trunk-less rule: dropped, with the reason
    const none = await call({ to: '+19990000000' });
    expect(none.result).toBe('dropped');
    expect(none.reason).toMatch(/no inbound trunk matched/);
    expect(lab.events('sip.call.rejected').map((e) => e.result)).toEqual(['pin_required', 'dropped', 'dropped']);
  }, 30_000);

  it('trunk-less rules, hidden numbers, raw numbers and the mode switch', async () => {
    await lab.sip.createSipInboundTrunk('main', ['+18885550100']);
    await lab.control('POST', '/sip/mode', { store: 'memory', bridge: 'simulated' });
    const rule = await lab.sip.createSipDispatchRule({ type: 'callee', roomPrefix: 'c', randomize: true }, { hidePhoneNumber: true });
    const hidden = await call({ to: '+19995550000' });
    expect(hidden.room).toMatch(/^c_\+19995550000_[2-9A-HJ-NP-Za-km-z]{12}$/);
    expect(hidden.identity).toBe('sip_5afca772560f2d44'); // sha256("+15557654321")[:8], verified on v1.13.5
    const [p] = await lab.rooms.listParticipants(hidden.room);
    expect(p!.name).toBe('Phone 4321');
    expect(Object.keys(p!.attributes).filter((k) => !['sip.callStatus', 'sip.callIDFull', 'sip.callTag'].includes(k)).sort()).toEqual(['sip.callID', 'sip.ruleID', 'sip.trunkID']);
    expect(p!.attributes['sip.trunkID']).toBe('');
    expect(p!.attributes['sip.ruleID']).toBe(rule.sipDispatchRuleId);
    // the trunk matches after normalization, the room keeps the raw number
    const raw = await call({ from: '15557654321', to: '18885550100' });
    expect(raw.room).toMatch(/^c_18885550100_/);
    expect(raw.trunkId).toMatch(/^ST_/);

    expect((await lab.control('POST', '/sip/mode', { store: 'none' })).json).toEqual({ store: 'none', bridge: 'simulated' });
    const down = await call({});
    expect(down.result).toBe('unavailable');
    await expect(lab.sip.listSipInboundTrunk()).rejects.toMatchObject({ code: 'internal', status: 500 });
    expect((await lab.control('POST', '/sip/mode', { store: 'redis' })).status).toBe(400);
  }, 30_000);
});
