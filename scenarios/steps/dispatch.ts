import { reqStr, str } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

export interface DispatchStep {
  /** A name later steps use for the dispatch (deleteDispatch, expect dispatch:). */
  id?: string;
  room: string;
  agentName: string;
  metadata?: string;
}

/** AgentDispatchService.CreateDispatch. */
export const dispatchStep = defineStep<'dispatch', DispatchStep>({
  name: 'dispatch',
  fields: { id: str, room: reqStr, agentName: { t: 'string', required: true }, metadata: str },
  check(body, _at, v) {
    if (typeof body.id === 'string') v.dispatches.add(body.id);
  },
  async run(d, env) {
    const id = await env.api.createDispatch(d.room, d.agentName, d.metadata);
    if (d.id) env.nameDispatch(d.id, id);
  },
});
