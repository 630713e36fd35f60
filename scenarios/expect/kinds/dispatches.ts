import { str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEvents, describe } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';

export interface DispatchesExpectation {
  dispatches: Count;
  event?: 'created' | 'deleted';
  room?: string;
  agentName?: string;
  source?: string;
}

export const dispatchesExpectation = defineExpectKind<'dispatches', DispatchesExpectation>({
  name: 'dispatches',
  fields: {
    dispatches: { t: 'count', required: true },
    event: { t: 'enum', values: ['created', 'deleted'] },
    room: str,
    agentName: str,
    source: { t: 'enum', values: ['default', 'create_room', 'token', 'api'] },
  },
  // the real server does not report dispatches on the worker socket
  needsServerInsight: () => true,
  evaluate(e, rule, input) {
    const kind = `dispatch.${e.event ?? 'created'}`;
    const what = describe(`dispatch ${e.event ?? 'created'} event(s)`, { room: e.room, agentName: e.agentName, source: e.source });
    const context = input.events.filter((x) => x.kind === 'dispatch.created' || x.kind === 'dispatch.deleted');
    const matches = context.filter(
      (x) =>
        x.kind === kind &&
        (e.room === undefined || (x as { room: string }).room === e.room) &&
        (e.agentName === undefined || (x as { agentName: string }).agentName === e.agentName) &&
        (e.source === undefined || (x.kind === 'dispatch.created' && x.source === e.source)),
    );
    return countEvents(rule, what, matches, context, input);
  },
});
