import { SIPTransport } from '@livekit/protocol';
import { reqStr, str } from '../schema/field-specs.ts';
import { defineTrunkRef, sipApi, sipClient, sipNames } from './sip-names.ts';
import { defineStep } from './step-kind.ts';

export interface SipOutboundTrunkStep {
  /** The name agents' scripts use (`createSipParticipant: { trunk: id }`); also the trunk's name. */
  id: string;
  address: string;
  numbers: string[];
  transport?: 'auto' | 'udp' | 'tcp' | 'tls';
  metadata?: string;
}

const TRANSPORTS = { auto: SIPTransport.SIP_TRANSPORT_AUTO, udp: SIPTransport.SIP_TRANSPORT_UDP, tcp: SIPTransport.SIP_TRANSPORT_TCP, tls: SIPTransport.SIP_TRANSPORT_TLS } as const;

/** SIP CreateSIPOutboundTrunk (livekit-server-sdk SipClient). */
export const sipOutboundTrunkStep = defineStep<'sip.outboundTrunk', SipOutboundTrunkStep>({
  name: 'sip.outboundTrunk',
  fields: { id: reqStr, address: reqStr, numbers: { t: 'stringList', required: true }, transport: { t: 'enum', values: Object.keys(TRANSPORTS) }, metadata: str },
  check(body, _at, v) {
    defineTrunkRef(v, body.id);
  },
  async run(t, env) {
    const info = await sipApi(env.target, 'sip.outboundTrunk (CreateSIPOutboundTrunk)', () =>
      sipClient(env.target).createSipOutboundTrunk(t.id, t.address, t.numbers, { transport: TRANSPORTS[t.transport ?? 'auto'], metadata: t.metadata }),
    );
    sipNames(env.names).trunks.set(t.id, info.sipTrunkId);
  },
});
