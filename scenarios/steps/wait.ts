import { sleep } from '../../agent-runtime/wait-for.ts';
import { defineStep } from './step-kind.ts';

/** A fixed pause, for what a scenario shows by time passing (a timeout); expectations poll instead. */
export const waitStep = defineStep<'wait', number | { ms: number }>({
  name: 'wait',
  fields: 'number-or-ms',
  run: (w) => sleep(typeof w === 'number' ? w : w.ms),
});
