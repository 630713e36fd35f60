import { str } from '../../schema/field-specs.ts';
import { defineEventCountKind, type EventCountExpectation } from '../event-count.ts';

export type DispatchesExpectation = EventCountExpectation<'dispatches', 'created' | 'deleted', { room?: string; agentName?: string; source?: string }>;

export const dispatchesExpectation = defineEventCountKind<'dispatches', DispatchesExpectation>({
  name: 'dispatches',
  family: { prefix: 'dispatch', events: ['created', 'deleted'] },
  filters: { room: str, agentName: str, source: { t: 'enum', values: ['default', 'create_room', 'token', 'api'] } },
  // the real server does not report dispatches on the worker socket
  needsServerInsight: () => true,
  equal: ['room', 'agentName'],
  accept: (e, x) => e.source === undefined || (x.kind === 'dispatch.created' && x.source === e.source),
});
