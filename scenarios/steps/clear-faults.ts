import { labRequest } from '../lab-control.ts';
import { defineStep } from './step-kind.ts';

/** Removes every fault (DELETE /_lab/faults). */
export const clearFaultsStep = defineStep<'clearFaults', Record<string, never> | true>({
  name: 'clearFaults',
  fields: 'empty',
  needs: () => ['lab-control'],
  async run(_body, env) {
    await labRequest(env.target, 'DELETE', '/faults');
  },
});
