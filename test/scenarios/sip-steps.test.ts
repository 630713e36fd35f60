import { describe, expect, it } from 'vitest';
import { validateScript } from '../../agent-runtime/scripted/script-schema.ts';
import { parseScenario } from '../../scenarios/load.ts';
import { STEPS_HEAD, stepsError } from '../support/scenario-errors.ts';
import { runOne } from '../../scenarios/runner.ts';

const head = STEPS_HEAD;
const errorOf = stepsError;

describe('telephony steps: malformed files get file:line: field: what is wrong', () => {
  it('a rule naming a trunk no step created', () => {
    const m = errorOf('  - sip.inboundTrunk: { id: main, numbers: ["+18885550100"] }\n  - sip.rule: { id: r, type: individual, roomPrefix: call, trunks: [mian] }\n');
    expect(m).toBe('bad.yaml:6: steps[1].sip.rule.trunks[0]: no SIP trunk with id "mian" was created before this step (sip.inboundTrunk / sip.outboundTrunk)');
  });

  it('a direct rule without its room, a misspelt phone shorthand, a bad phone script, a call never placed', () => {
    const m = errorOf(
      '  - sip.rule: { id: r, type: direct }\n' +
        '  - sip.phone: { number: "+1555", script: bussy }\n' +
        '  - sip.phone: { number: "+1556", script: { reject: { code: 200 } } }\n' +
        '  - sip.hangup: { call: c9 }\n' +
        '  - sip.mode: {}\n',
    );
    expect(m).toContain('bad.yaml:5: steps[0].sip.rule: missing required field "roomName"');
    expect(m).toMatch(/bad\.yaml:6: steps\[1\]\.sip\.phone\.script: must be one of answer, busy, .*\(did you mean "busy"\?\)/);
    expect(m).toContain('bad.yaml:7: steps[2].sip.phone.script: phone script: "reject.code" must be a SIP failure code (300-699)');
    expect(m).toContain('bad.yaml:8: steps[3].sip.hangup.call: no SIP call with id "c9" was placed before this step (sip.call)');
    expect(m).toContain('bad.yaml:9: steps[4].sip.mode: sip.mode needs store or bridge');
  });

  it('SIP expectations check their fields', () => {
    const m = errorOf('  - expect: { sipCalls: 1, status: [rining] }\n  - expect: { sipAgents: 1, outcome: sent }\n');
    expect(m).toMatch(/bad\.yaml:5: steps\[0\]\.expect\.status: unknown value "rining" \(did you mean "ringing"\?\)/);
    expect(m).toMatch(/bad\.yaml:6: steps\[1\]\.expect\.outcome: must be one of dispatched, default_dispatch, none, rejected/);
  });

  it('scripted agents: telephony steps are checked before a worker starts', () => {
    expect(() => validateScript({ entry: [{ do: 'createSipParticipant', trunk: 'out', to: '' }] })).toThrow('entry[0]: createSipParticipant needs trunk');
    expect(() => validateScript({ entry: [{ do: 'publishDtmf', digits: '1x' }] })).toThrow('entry[0]: publishDtmf needs digits of 0-9 * # A-D');
    expect(() => validateScript({ entry: [{ do: 'waitForParticipant', kind: 'phone' as 'sip' }] })).toThrow('waitForParticipant kind must be standard, sip or agent');
    expect(validateScript({ entry: [{ do: 'waitForDtmf', digits: '12#' }, { do: 'transferSipParticipant', to: 'tel:+15559990000' }] }).entry).toHaveLength(2);
  });
});

describe('telephony steps on targets that cannot do them: one line, never silently', () => {
  it('the SIP API without Redis (the mock in store mode none) fails the step saying so', async () => {
    const s = parseScenario(`${head}  - sip.mode: { store: none }\n  - sip.inboundTrunk: { id: main, numbers: ["+18885550100"] }\n`, 'no-redis.yaml');
    const r = await runOne(s, { against: 'mock', timing: 'fast' });
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/^no-redis\.yaml:6: steps\[1\] sip\.inboundTrunk: sip\.inboundTrunk \(CreateSIPInboundTrunk\) is not available on the mock target: internal: .*sip not connected \(redis required\)/);
    expect(r.message).not.toContain('\n');
  }, 30_000);

  it('livekit-server v1.13.5 --dev: the SIP API step fails with its answer; phones and calls need the mock', async () => {
    const api = await runOne(parseScenario(`${head}  - sip.inboundTrunk: { id: main, numbers: ["+18885550100"] }\n`, 'real.yaml'), { against: 'livekit' });
    expect(api.status, api.message).toBe('failed');
    expect(api.message).toMatch(/is not available on the livekit-binary target: internal: .*sip not connected \(redis required\)/);
    const phone = await runOne(parseScenario(`${head}  - sip.call: { id: c1, from: "+15557654321", to: "+18885550100" }\n`, 'real.yaml'), { against: 'livekit' });
    expect(phone.status).toBe('needs');
    expect(phone.message).toBe('needs lab-control (the livekit-binary target has no /_lab control API; run against the mock)');
  }, 60_000);
});
