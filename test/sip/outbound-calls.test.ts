import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { startSipLab, statusesOf, type SipLab } from './sip-lab.ts';

type SdkError = { name: string; code?: string; status?: number; sipStatusCode?: number; sipStatus?: string; message: string };

describe('outbound calls to scripted phones (CreateSIPParticipant, TransferSIPParticipant)', () => {
  let lab: SipLab;
  let trunkId: string;
  beforeEach(async () => {
    lab = await startSipLab();
    trunkId = (await lab.sip.createSipOutboundTrunk('carrier', 'pbx.example', ['+15550000000'])).sipTrunkId;
  });
  afterEach(async () => {
    await lab.close();
  });
  const phone = (number: string, script: unknown) => lab.control('PUT', `/sip/phones/${encodeURIComponent(number)}`, script);
  const leftReason = (identity: string) => lab.events('participant.left').find((e) => e.identity === identity)?.reason;

  it('wait_until_answered: dialing → ringing → active, answered after the script delay, with the outbound attributes', async () => {
    await phone('+15551230001', { ringAfterMs: 100, answerAfterMs: 400 });
    const started = Date.now();
    const info = await lab.sip.createSipParticipant(trunkId, '+15551230001', 'out-1', { participantIdentity: 'callee', waitUntilAnswered: true, participantAttributes: { purpose: 'survey' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(info).toMatchObject({ participantIdentity: 'callee', roomName: 'out-1' });
    expect(info.sipCallId).toMatch(/^SCL_/);
    expect(info.participantId).toMatch(/^PA_/);
    expect(statusesOf(lab, info.sipCallId)).toEqual(['dialing', 'ringing', 'active']);
    const [p] = await lab.rooms.listParticipants('out-1');
    expect(p!.attributes).toMatchObject({ purpose: 'survey', 'sip.callStatus': 'active', 'sip.phoneNumber': '+15551230001', 'sip.trunkPhoneNumber': '+15550000000', 'sip.hostname': 'pbx.example', 'sip.trunkID': trunkId });
    expect(p!.attributes['sip.ruleID']).toBeUndefined(); // how agents-js tells an outbound SIP participant
  }, 30_000);

  it('busy (486) and decline (603): a SipCallError with the SIP status, after the participant left', async () => {
    await phone('+15551230002', 'busy');
    await phone('+15551230003', { behavior: 'decline', answerAfterMs: 200 });
    const busy = (await lab.sip.createSipParticipant(trunkId, '+15551230002', 'out-2', { participantIdentity: 'b', waitUntilAnswered: true }).catch((e) => e)) as SdkError;
    expect(busy).toMatchObject({ name: 'SipCallError', code: 'resource_exhausted', status: 429, sipStatusCode: 486, sipStatus: 'Busy Here' });
    expect(leftReason('b')).toBe('USER_REJECTED');
    const seqLeft = lab.events('participant.left').find((e) => e.identity === 'b')!.seq;
    const seqApi = lab.events('api.call').find((e) => e.method === 'CreateSIPParticipant' && e.status === 429)!.seq;
    expect(seqLeft).toBeLessThan(seqApi);
    const declined = (await lab.sip.createSipParticipant(trunkId, '+15551230003', 'out-3', { participantIdentity: 'd', waitUntilAnswered: true }).catch((e) => e)) as SdkError;
    expect(declined).toMatchObject({ name: 'SipCallError', code: 'permission_denied', sipStatusCode: 603 });
    expect(leftReason('d')).toBe('USER_REJECTED');
  }, 30_000);

  it('no answer within ringing_timeout: canceled, no SIP status, USER_UNAVAILABLE; without wait the RPC answers at once', async () => {
    await phone('+15551230004', 'noAnswer');
    const err = (await lab.sip.createSipParticipant(trunkId, '+15551230004', 'out-4', { participantIdentity: 'n', waitUntilAnswered: true, ringingTimeout: 1 }).catch((e) => e)) as SdkError;
    expect(err).toMatchObject({ code: 'canceled', status: 408 });
    expect(err.sipStatusCode).toBeUndefined();
    expect(leftReason('n')).toBe('USER_UNAVAILABLE');

    await phone('+15551230005', { behavior: 'busy', ringAfterMs: 200, answerAfterMs: 400 });
    const info = await lab.sip.createSipParticipant(trunkId, '+15551230005', 'out-5', { participantIdentity: 'nw' });
    await eventually(() => (leftReason('nw') === 'USER_REJECTED' ? '' : 'still dialing'));
    // the RPC answered while the call was still dialing: before it rang, before it failed
    const answeredAt = lab.events('api.call').find((e) => e.method === 'CreateSIPParticipant' && e.room === 'out-5')!.seq;
    const rangAt = lab.events('sip.call.status').find((e) => e.callId === info.sipCallId && e.status === 'ringing')!.seq;
    expect(answeredAt).toBeLessThan(rangAt);
    expect(statusesOf(lab, info.sipCallId)).not.toContain('active');
    // Node's SDK default identity
    const dflt = await lab.sip.createSipParticipant(trunkId, '+15551230006', 'out-6');
    expect(dflt.participantIdentity).toBe('sip-participant');
  }, 30_000);

  it('the callee hangs up: hangup, then CLIENT_INITIATED, and the room closes after its departure timeout', async () => {
    await phone('+15551230007', { hangupAfterMs: 300, dtmf: [{ afterMs: 50, digits: '12#' }] });
    const info = await lab.sip.createSipParticipant(trunkId, '+15551230007', 'out-7', { participantIdentity: 'h', waitUntilAnswered: true, dtmf: 'w1' });
    expect(statusesOf(lab, info.sipCallId)).toEqual(['dialing', 'automation', 'active']);
    await eventually(() => (leftReason('h') ? '' : 'callee has not hung up'));
    expect(leftReason('h')).toBe('CLIENT_INITIATED');
    expect(statusesOf(lab, info.sipCallId).at(-1)).toBe('hangup');
    const dtmf = lab.events('sip.dtmf').filter((e) => e.callId === info.sipCallId);
    expect(dtmf.map((e) => `${e.direction}:${e.digit}:${e.code}`)).toEqual(['from_phone:1:1', 'from_phone:2:2', 'from_phone:#:11']);
    expect((await lab.control('GET', `/sip/calls/${info.sipCallId}`)).json).toMatchObject({ dtmfSent: '12#', dtmfReceived: '1', ended: { by: 'remote' } });
    await eventually(() => (lab.events('room.closed').some((e) => e.room === 'out-7') ? '' : 'room still open'), { timeoutMs: 10_000 });
  }, 30_000);

  it('TransferSIPParticipant: accepted, the call ends about 1 s later; a refused REFER returns its SIP status and the call goes on', async () => {
    await phone('+15551230008', {});
    await phone('+15551230009', { transfer: { code: 603 } });
    const a = await lab.sip.createSipParticipant(trunkId, '+15551230008', 'out-8', { participantIdentity: 't', waitUntilAnswered: true });
    await lab.sip.transferSipParticipant('out-8', 't', 'tel:+15559990000');
    await eventually(() => (leftReason('t') ? '' : 'not transferred yet'), { timeoutMs: 5_000 });
    expect(leftReason('t')).toBe('CLIENT_INITIATED');
    expect(statusesOf(lab, a.sipCallId).at(-1)).toBe('hangup');
    expect((await lab.control('GET', `/sip/calls/${a.sipCallId}`)).json).toMatchObject({ transferTo: 'tel:+15559990000', ended: { by: 'transfer' } });

    await lab.sip.createSipParticipant(trunkId, '+15551230009', 'out-9', { participantIdentity: 'r', waitUntilAnswered: true });
    const refused = (await lab.sip.transferSipParticipant('out-9', 'r', 'sip:desk@pbx.example').catch((e) => e)) as SdkError;
    expect(refused).toMatchObject({ name: 'SipCallError', sipStatusCode: 603 });
    expect((await lab.rooms.listParticipants('out-9')).map((p) => p.identity)).toEqual(['r']);
    // a participant that is not a SIP call
    await lab.control('POST', '/rooms/out-9/participants', { identity: 'human' });
    await expect(lab.sip.transferSipParticipant('out-9', 'human', 'tel:+1')).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/no SIP session/) });
  }, 30_000);
});
