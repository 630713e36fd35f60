import { str } from '../../schema/field-specs.ts';
import { defineEventCountKind, hasText, type EventCountExpectation } from '../event-count.ts';

export type RoomsExpectation = EventCountExpectation<'rooms', 'created' | 'closed', { room?: string; reason?: string; via?: string }>;

export const roomsExpectation = defineEventCountKind<'rooms', RoomsExpectation>({
  name: 'rooms',
  family: { prefix: 'room', events: ['created', 'closed'] },
  filters: { room: str, reason: str, via: str },
  // the real server does not report rooms on the worker socket
  needsServerInsight: () => true,
  equal: ['room'],
  accept: (e, x) =>
    hasText(e.reason, x.kind === 'room.closed' ? x.reason : undefined) &&
    (e.via === undefined || (x.kind === 'room.created' && x.via === e.via)),
});
