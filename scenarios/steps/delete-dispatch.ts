import { reqStr } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

/** AgentDispatchService.DeleteDispatch, by a dispatch step's id or a literal AD_ id. */
export const deleteDispatchStep = defineStep<'deleteDispatch', { room: string; dispatch: string }>({
  name: 'deleteDispatch',
  fields: { room: reqStr, dispatch: reqStr },
  run: (d, env) => env.api.deleteDispatch(d.room, env.names.dispatchId(d.dispatch)),
});
