import { LabError } from '../../mock-server/core/errors.ts';
import { parsePhoneScript, type PhoneScript } from '../../mock-server/sip/sip-phones.ts';
import { reqStr, type Section } from '../schema/field-specs.ts';
import { sipControl } from './sip-names.ts';
import { defineStep } from './step-kind.ts';

const SHORTHANDS = ['answer', 'busy', 'decline', 'unavailable', 'notFound', 'noAnswer'] as const;

export interface SipPhoneStep {
  /** The callee's number (`default`: every number without its own script). */
  number: string;
  /** A shorthand (busy 486, decline 603, noAnswer, ...) or {ringAfterMs, answerAfterMs, reject, hangupAfterMs, dtmf, transfer}. */
  script: (typeof SHORTHANDS)[number] | PhoneScript;
}

/** Scripts the phone an outbound call reaches (PUT /_lab/sip/phones/{number}): only the mock has phones. */
export const sipPhoneStep = defineStep<'sip.phone', SipPhoneStep>({
  name: 'sip.phone',
  fields: (body): Section => ({ number: reqStr, script: typeof body.script === 'string' ? { t: 'enum', values: SHORTHANDS, required: true } : { t: 'object', required: true } }),
  check(body, at, v) {
    if (typeof body.script !== 'object' || body.script === null) return;
    try {
      parsePhoneScript(body.script); // the mock's own parser, so the file gets its message at the right line
    } catch (e) {
      if (e instanceof LabError) v.issue([...at, 'script'], e.message);
      else throw e;
    }
  },
  needs: () => ['lab-control'],
  async run(p, env) {
    const body = typeof p.script === 'string' ? { behavior: p.script } : p.script;
    await sipControl(env.target, 'sip.phone', 'PUT', `/sip/phones/${encodeURIComponent(p.number)}`, body);
  },
});
