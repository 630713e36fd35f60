import { str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEventFamily, type EventFamily } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';

export interface DispatchesExpectation {
  dispatches: Count;
  event?: 'created' | 'deleted';
  room?: string;
  agentName?: string;
  source?: string;
}

const FAMILY: EventFamily = { prefix: 'dispatch', events: ['created', 'deleted'] };

export const dispatchesExpectation = defineExpectKind<'dispatches', DispatchesExpectation>({
  name: 'dispatches',
  fields: {
    dispatches: { t: 'count', required: true },
    event: { t: 'enum', values: FAMILY.events },
    room: str,
    agentName: str,
    source: { t: 'enum', values: ['default', 'create_room', 'token', 'api'] },
  },
  // the real server does not report dispatches on the worker socket
  needsServerInsight: () => true,
  evaluate: (e, rule, input) =>
    countEventFamily(
      rule,
      input,
      FAMILY,
      e.event,
      { room: e.room, agentName: e.agentName, source: e.source },
      (x) =>
        (e.room === undefined || (x as { room: string }).room === e.room) &&
        (e.agentName === undefined || (x as { agentName: string }).agentName === e.agentName) &&
        (e.source === undefined || (x.kind === 'dispatch.created' && x.source === e.source)),
    ),
});
