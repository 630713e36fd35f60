import { awaitExpectation } from '../expect/await-expectation.ts';
import { EXPECT_COMMON, EXPECT_KINDS, expectKindsIn, kindOf, type Expectation } from '../expect/kinds/registry.ts';
import { defineStep } from './step-kind.ts';

/** Asserts on the trace, "eventually, with a reason"; the kinds are in expect/kinds/registry.ts. */
export const expectStep = defineStep<'expect', Expectation>({
  name: 'expect',
  fields(body, at, v) {
    const kinds = expectKindsIn(body);
    if (kinds.length === 1) return { ...kinds[0]!.fields, ...EXPECT_COMMON };
    const names = EXPECT_KINDS.map((k) => k.name).join(', ');
    v.issue(at, `needs exactly one of ${names} (the count to expect); got ${kinds.length ? kinds.map((k) => k.name).join(' and ') : 'none'}`);
    return undefined;
  },
  check(body, at, v) {
    for (const field of ['worker', 'offeredTo', 'rejectedBy']) v.workerRef(body, field, at);
    if (typeof body.dispatch === 'string' && !v.dispatches.has(body.dispatch) && !body.dispatch.startsWith('AD_')) {
      v.issue([...at, 'dispatch'], `no dispatch with id "${body.dispatch}" was created before this step`);
    }
  },
  needs: (e) => (kindOf(e).kind.needsServerInsight?.(e) ? ['lab-control'] : []),
  async run(e, env) {
    await awaitExpectation(e, env.events, env.names, env.expectTimeoutMs);
  },
});
