// A real @livekit/rtc-node client and a simulated phone exchange DTMF through the mock, inside the test
// namespace. Reports what each side saw; test/sip/dtmf-rtc.test.ts asserts on it.
import { ParticipantKind, RoomEvent } from '@livekit/rtc-node';
import { SipClient } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from '../../rtc/drivers/driver-kit.ts';

runDriver(async () => {
  const server = await startLabServer();
  const sip = new SipClient(server.httpUrl, server.apiKey, server.apiSecret);
  const trunk = await sip.createSipInboundTrunk('main', ['+18885550100']);
  await sip.createSipDispatchRule({ type: 'direct', roomName: 'ivr' }, { trunkIds: [trunk.sipTrunkId] });

  const agent = await connectClient(server, await userToken(server, 'ivr-agent', 'ivr'));
  const got: string[] = [];
  agent.room.on(RoomEvent.DtmfReceived, (code, digit, p) => got.push(`${p.identity}:${digit}:${code}`));
  const admin = await userToken(server, 'admin', 'ivr');
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.httpUrl}/_lab${path}`, { method, headers: { Authorization: `Bearer ${admin}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await res.json()) as Record<string, any>;
  };
  const call = await control('POST', '/sip/calls', { from: '+15557654321', to: '+18885550100', dtmf: [{ afterMs: 300, digits: '12#' }] });
  await waitFor(() => agent.room.remoteParticipants.has('sip_+15557654321'), { reason: 'the SIP participant' });
  const caller = agent.room.remoteParticipants.get('sip_+15557654321')!;
  await waitFor(() => got.length >= 3, { reason: 'three digits from the phone' });
  await agent.room.localParticipant!.publishDtmf(9, '9');
  // the phone's view of the call, once its digit arrived (or the last one seen, for the test's message)
  let phone: Record<string, any> = {};
  await waitFor(
    async () => {
      phone = await control('GET', `/sip/calls/${call.callId}`);
      return phone.dtmfReceived === '9';
    },
    { reason: 'the phone to receive the agent\'s digit 9', timeoutMs: 10_000 },
  ).catch(() => undefined);
  const result = { got, phoneReceived: phone.dtmfReceived, callerKind: caller.kind === ParticipantKind.SIP ? 'sip' : String(caller.kind), callStatus: caller.attributes['sip.callStatus'] };
  await agent.room.disconnect();
  await server.close();
  return result;
});
