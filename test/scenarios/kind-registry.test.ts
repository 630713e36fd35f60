import { describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../../scenarios/errors.ts';
import { evaluate } from '../../scenarios/expect/evaluate.ts';
import { EXPECT_KINDS } from '../../scenarios/expect/kinds/registry.ts';
import { parseScenario } from '../../scenarios/load.ts';
import { STEP_KINDS } from '../../scenarios/steps/registry.ts';

const head = 'name: x\ndescription: d\nreproduces: r\nsteps:\n  - worker: { id: w1 }\n';
const issuesOf = (steps: string) => {
  try {
    parseScenario(`${head}${steps}`, 'k.yaml');
    return '';
  } catch (e) {
    if (e instanceof ScenarioFileError) return e.message;
    throw e;
  }
};
const names = { workerIds: () => [], aliasOf: (id: string | undefined) => id ?? '', dispatchId: (r: string) => r };

// The registries are the only lists of kinds: the validator, the runner and the requirements all read them.
describe('step and expectation kinds come from one registry each', () => {
  it('has one entry per name', () => {
    expect(new Set(STEP_KINDS.map((k) => k.name)).size).toBe(STEP_KINDS.length);
    expect(new Set(EXPECT_KINDS.map((k) => k.name)).size).toBe(EXPECT_KINDS.length);
  });

  it.each(STEP_KINDS.filter((k) => typeof k.fields === 'object').map((k) => [k.name, Object.keys(k.fields)] as const))(
    'the validator checks a %s step against the fields its kind declares',
    (name, fields) => {
      expect(issuesOf(`  - ${name}: { bogusField: 1 }\n`)).toContain(`k.yaml:6: steps[1].${name}.bogusField: unknown field; allowed: ${fields.join(', ')}`);
    },
  );

  it.each(EXPECT_KINDS.map((k) => k.name))('an expect step with the count field %s is valid and evaluates on an empty trace', (kind) => {
    expect(issuesOf(`  - expect: { ${kind}: 0 }\n`)).toBe('');
    const r = evaluate({ [kind]: 0 } as never, [], names);
    expect(r).toMatchObject({ count: 0, ok: true });
  });

  it('lists the registered expectation kinds when none is given', () => {
    expect(issuesOf('  - expect: { within: 5 }\n')).toContain(`needs exactly one of ${EXPECT_KINDS.map((k) => k.name).join(', ')} (the count to expect); got none`);
  });
});
