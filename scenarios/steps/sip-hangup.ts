import { reqStr } from '../schema/field-specs.ts';
import { callId, checkCallRef, sipControl } from './sip-names.ts';
import { defineStep } from './step-kind.ts';

export interface SipHangupStep {
  call: string;
}

/** The phone on a live call hangs up (a BYE; POST /_lab/sip/calls/{id}/hangup). */
export const sipHangupStep = defineStep<'sip.hangup', SipHangupStep>({
  name: 'sip.hangup',
  fields: { call: reqStr },
  check(body, at, v) {
    checkCallRef(v, body.call, [...at, 'call']);
  },
  needs: () => ['lab-control'],
  async run(h, env) {
    await sipControl(env.target, 'sip.hangup', 'POST', `/sip/calls/${encodeURIComponent(callId(env.names, h.call))}/hangup`);
  },
});
