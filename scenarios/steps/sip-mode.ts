import { sipControl } from './sip-names.ts';
import { defineStep } from './step-kind.ts';

export interface SipModeStep {
  /** `none`: the dev server without Redis ("sip not connected (redis required)"). */
  store?: 'memory' | 'none';
  /** `absent`: Redis but no livekit-sip (CreateSIPParticipant `unavailable` after ~1 s). */
  bridge?: 'simulated' | 'absent';
}

/** Switches the mock's SIP side (POST /_lab/sip/mode), so agents' error paths can be tested. */
export const sipModeStep = defineStep<'sip.mode', SipModeStep>({
  name: 'sip.mode',
  fields: { store: { t: 'enum', values: ['memory', 'none'] }, bridge: { t: 'enum', values: ['simulated', 'absent'] } },
  check(body, at, v) {
    if (body.store === undefined && body.bridge === undefined) v.issue(at, 'sip.mode needs store or bridge');
  },
  needs: () => ['lab-control'],
  async run(m, env) {
    await sipControl(env.target, 'sip.mode', 'POST', '/sip/mode', m);
  },
});
