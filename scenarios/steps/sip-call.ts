import { LabError } from '../../mock-server/core/errors.ts';
import { parsePhoneScript } from '../../mock-server/sip/sip-phones.ts';
import { ms, reqStr, str, type Section } from '../schema/field-specs.ts';
import { defineCallRef, sipControl, sipNames } from './sip-names.ts';
import { defineStep } from './step-kind.ts';

export interface SipCallStep {
  /** The name later steps and expectations use (`sip.dtmf: { call }`, `expect: { sipCalls, call }`). */
  id: string;
  from: string;
  to: string;
  /** Digits typed at the PIN prompt (`#` alone: no PIN). */
  pin?: string;
  /** Digits the caller types once in the room. */
  dtmf?: { afterMs?: number; digits: string }[];
  /** The caller hangs up this long after the call is answered. */
  hangupAfterMs?: number;
  /** How the caller's carrier answers a REFER: accept (default) or {code}. */
  transfer?: 'accept' | { code: number; reason?: string };
  sourceIp?: string;
  fromHost?: string;
  auth?: { username: string; password: string };
}

const CALL_FIELDS: Section = { id: reqStr, from: reqStr, to: reqStr, pin: str, dtmf: { t: 'object' }, hangupAfterMs: ms, sourceIp: str, fromHost: str, auth: { t: 'stringMap' } };

/**
 * An inbound call reaches the simulated livekit-sip (POST /_lab/sip/calls): trunk and rule matching, then the SIP
 * participant joins. A refused call is not a step failure: `expect: { sipAgents }` and the trace say why.
 */
export const sipCallStep = defineStep<'sip.call', SipCallStep>({
  name: 'sip.call',
  fields: (body): Section => ({
    ...CALL_FIELDS,
    transfer: typeof body.transfer === 'string' ? { t: 'enum', values: ['accept'] } : { t: 'object' },
  }),
  check(body, at, v) {
    defineCallRef(v, body.id);
    const script = Object.fromEntries(['dtmf', 'hangupAfterMs', 'transfer'].filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
    try {
      parsePhoneScript(script);
    } catch (e) {
      if (e instanceof LabError) v.issue(at, e.message);
      else throw e;
    }
  },
  needs: () => ['lab-control'],
  async run(c, env) {
    const { id, ...spec } = c;
    const placed = (await sipControl(env.target, 'sip.call', 'POST', '/sip/calls', spec)) as { callId: string };
    sipNames(env.names).calls.set(id, placed.callId);
  },
});
