import { waitUntilSatisfied } from '../../agent-runtime/wait-for.ts';
import { ScenarioStepError } from '../errors.ts';
import { ms, reqStr } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

/** A room records jobs at the end of a CheckEnabled round, 5 s after the trigger at most: leave room for that. */
const LIST_DISPATCH_TIMEOUT_MS = 8_000;

/**
 * Polls ListDispatch until the room's dispatches hold at least `jobs` jobs. A room records a launch's jobs
 * (and learns which participant is which job's agent) only when the agent client's CheckEnabled round ends,
 * up to 5 s after the trigger on livekit-server; before that an agent leaving terminates nothing.
 */
export const listDispatchStep = defineStep<'listDispatch', { room: string; jobs: number; within?: number }>({
  name: 'listDispatch',
  fields: { room: reqStr, jobs: { t: 'number', min: 0, integer: true, required: true }, within: ms },
  async run(s, env) {
    const timeoutMs = s.within ?? Math.max(env.expectTimeoutMs, LIST_DISPATCH_TIMEOUT_MS);
    await waitUntilSatisfied(
      async () => {
        const n = (await env.api.listDispatch(s.room)).reduce((sum, ad) => sum + (ad.state?.jobs.length ?? 0), 0);
        return n >= s.jobs ? '' : `ListDispatch ${s.room} shows ${n} job(s), waiting for ${s.jobs}`;
      },
      { timeoutMs, intervalMs: 100 },
    ).catch((e) => {
      throw e instanceof ScenarioStepError ? e : new ScenarioStepError((e as Error).message);
    });
  },
});
