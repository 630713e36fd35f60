import { reqStr } from '../schema/field-specs.ts';
import { checkWorkerField, defineStep } from './step-kind.ts';

/** The worker reports a load (and optionally a status) in UpdateWorkerStatus. */
export const setLoadStep = defineStep<'setLoad', { worker: string; load: number; status?: 'available' | 'full' }>({
  name: 'setLoad',
  fields: { worker: reqStr, load: { t: 'number', min: 0, required: true }, status: { t: 'enum', values: ['available', 'full'] } },
  check: checkWorkerField,
  run: (s, env) => env.worker(s.worker).setLoad(s.load, s.status),
});
