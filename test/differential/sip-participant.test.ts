import { DisconnectReason, LeaveRequest, ParticipantInfo_Kind, ParticipantInfo_State } from '@livekit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointOf as ep } from '../../fuzz/agent-probe.ts';
import { joinUrl } from '../../fuzz/rtc-probe.ts';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import { roomToken, SignalClient } from '../rtc/signal-client.ts';
import { holdsFor } from '../../agent-runtime/wait-for.ts';
import { eventually } from '../support/eventually.ts';
import { RawWorker } from '../support/raw-worker.ts';

type Target = StartedMockServer | StartedLiveKitServer;

/**
 * What the simulated bridge relies on, checked on both servers with the bridge's own kind of client: a SIP-kind
 * token (the room_config a rule gives it) joining over signalling, as livekit-sip does. The same steps must
 * give the same jobs, participant kinds and kept leave reasons.
 */
async function runSteps(t: Target, cleanups: (() => unknown)[]) {
  const worker = async (agentName: string) => {
    const w = await new RawWorker({ url: ('workerWsUrl' in t ? t.workerWsUrl : undefined) ?? t.wsUrl, apiKey: t.apiKey, apiSecret: t.apiSecret, agentName }).connect();
    cleanups.push(() => w.close());
    return w.register();
  };
  const receptionist = await worker('receptionist');
  const other = await worker('other');
  const join = async (identity: string, claims: Parameters<typeof roomToken>[4] = {}) => {
    const { url } = joinUrl(ep(t), 'sipx', identity, 7);
    const tok = await roomToken(t.apiKey, t.apiSecret, identity, { roomJoin: true, room: 'sipx', canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: true }, claims);
    const c = await SignalClient.open(url, tok);
    cleanups.push(() => c.close());
    await c.next('join');
    return c;
  };
  const sipClaims = (agentName: string, callId: string) => ({
    kind: 'sip',
    attributes: { 'sip.callID': callId, 'sip.trunkID': 'ST_x', 'sip.ruleID': 'SDR_x', 'sip.phoneNumber': '+15557654321', 'sip.trunkPhoneNumber': '+18885550100' },
    roomConfig: { agents: [{ agentName }] },
  });
  // the first SIP join creates the room: its room_config.agents apply
  const caller1 = await join('sip_+15557654321', sipClaims('receptionist', 'SCL_one'));
  await eventually(() => (receptionist.of('assignment').length === 1 ? '' : 'receptionist has no job yet'), { timeoutMs: 15_000 });
  const observer = await join('observer');
  // a second SIP join into the live room: its agents are ignored
  const caller2 = await join('sip_+15550000002', sipClaims('other', 'SCL_two'));
  await eventually(() => (observer.of('update').some((u) => u.participants.some((p) => p.identity === 'sip_+15550000002')) ? '' : 'observer has not seen caller 2'));
  const seenKind = (identity: string) =>
    observer.of('join')[0]!.otherParticipants.concat(observer.of('update').flatMap((u) => u.participants)).find((p) => p.identity === identity)?.kind;
  // leave reasons the bridge sends: USER_REJECTED is kept, SIP_TRUNK_FAILURE becomes CLIENT_INITIATED
  caller1.send({ case: 'leave', value: new LeaveRequest({ reason: DisconnectReason.USER_REJECTED }) });
  caller2.send({ case: 'leave', value: new LeaveRequest({ reason: DisconnectReason.SIP_TRUNK_FAILURE }) });
  const leftReason = (identity: string) =>
    observer.of('update').flatMap((u) => u.participants).find((p) => p.identity === identity && p.state === ParticipantInfo_State.DISCONNECTED)?.disconnectReason;
  await eventually(() => (leftReason('sip_+15557654321') !== undefined && leftReason('sip_+15550000002') !== undefined ? '' : 'callers not gone yet'), { timeoutMs: 10_000 });
  // the ignored dispatch must not turn into a job (a wrong one would have been offered well within this)
  await holdsFor(() => other.of('assignment').length === 0, 1_500, 'the second SIP join into the live room must not dispatch "other"');
  return {
    receptionistJobs: receptionist.of('assignment').map((a) => `${a.job?.room?.name}:${a.job?.agentName}`),
    otherJobs: other.of('assignment').length,
    kinds: [seenKind('sip_+15557654321'), seenKind('sip_+15550000002')].map((k) => (k === undefined ? 'unseen' : ParticipantInfo_Kind[k])),
    attributes: observer.of('join')[0]!.otherParticipants.find((p) => p.identity === 'sip_+15557654321')?.attributes,
    left: [leftReason('sip_+15557654321'), leftReason('sip_+15550000002')].map((r) => DisconnectReason[r ?? 0]),
  };
}

describe("differential: a SIP bridge's participant on the mock and on livekit-server (token kind sip + room_config)", () => {
  let mock: StartedMockServer;
  let real: StartedLiveKitServer;
  const cleanups: (() => unknown)[] = [];
  beforeAll(async () => {
    [mock, real] = await Promise.all([startMockServer({ port: 0 }), startLiveKitServer()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(cleanups.map((c) => c()));
    await Promise.allSettled([mock?.close(), real?.dispose()]);
  }, 30_000);

  it('agents only from the join that creates the room, kind SIP, the kept leave reasons', async () => {
    const [m, r] = await Promise.all([runSteps(mock, cleanups), runSteps(real, cleanups)]);
    expect(m).toEqual(r);
    expect(r).toMatchObject({ receptionistJobs: ['sipx:receptionist'], otherJobs: 0, kinds: ['SIP', 'SIP'], left: ['USER_REJECTED', 'CLIENT_INITIATED'] });
  }, 90_000);
});
