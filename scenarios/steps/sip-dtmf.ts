import { reqStr } from '../schema/field-specs.ts';
import { callId, checkCallRef, sipControl } from './sip-names.ts';
import { defineStep } from './step-kind.ts';

export interface SipDtmfStep {
  call: string;
  digits: string;
}

/** The phone on a live call types digits: SipDTMF data packets in the room (POST /_lab/sip/calls/{id}/dtmf). */
export const sipDtmfStep = defineStep<'sip.dtmf', SipDtmfStep>({
  name: 'sip.dtmf',
  fields: { call: reqStr, digits: reqStr },
  check(body, at, v) {
    checkCallRef(v, body.call, [...at, 'call']);
    if (typeof body.digits === 'string' && !/^[0-9*#A-Da-dw]+$/.test(body.digits)) v.issue([...at, 'digits'], 'DTMF digits are 0-9 * # A-D (and w for a pause)');
  },
  needs: () => ['lab-control'],
  async run(d, env) {
    await sipControl(env.target, 'sip.dtmf', 'POST', `/sip/calls/${encodeURIComponent(callId(env.names, d.call))}/dtmf`, { digits: d.digits });
  },
});
