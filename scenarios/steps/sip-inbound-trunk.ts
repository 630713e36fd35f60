import { reqStr, str } from '../schema/field-specs.ts';
import { defineTrunkRef, sipApi, sipClient, sipNames } from './sip-names.ts';
import { defineStep } from './step-kind.ts';

export interface SipInboundTrunkStep {
  /** The name later steps use (`sip.rule: { trunks: [id] }`); also the trunk's name. */
  id: string;
  numbers: string[];
  allowedNumbers?: string[];
  allowedAddresses?: string[];
  auth?: { username?: string; password?: string };
  metadata?: string;
}

/** SIP CreateSIPInboundTrunk (livekit-server-sdk SipClient), as a user's provisioning code calls it. */
export const sipInboundTrunkStep = defineStep<'sip.inboundTrunk', SipInboundTrunkStep>({
  name: 'sip.inboundTrunk',
  fields: { id: reqStr, numbers: { t: 'stringList', required: true }, allowedNumbers: { t: 'stringList' }, allowedAddresses: { t: 'stringList' }, auth: { t: 'stringMap' }, metadata: str },
  check(body, _at, v) {
    defineTrunkRef(v, body.id);
  },
  async run(t, env) {
    const info = await sipApi(env.target, 'sip.inboundTrunk (CreateSIPInboundTrunk)', () =>
      sipClient(env.target).createSipInboundTrunk(t.id, t.numbers, {
        allowedNumbers: t.allowedNumbers,
        allowedAddresses: t.allowedAddresses,
        authUsername: t.auth?.username,
        authPassword: t.auth?.password,
        metadata: t.metadata,
      }),
    );
    sipNames(env.names).trunks.set(t.id, info.sipTrunkId);
  },
});
