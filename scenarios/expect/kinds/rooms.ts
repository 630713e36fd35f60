import { str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEventFamily, hasText, type EventFamily } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';

export interface RoomsExpectation {
  rooms: Count;
  event?: 'created' | 'closed';
  room?: string;
  reason?: string;
  via?: string;
}

const FAMILY: EventFamily = { prefix: 'room', events: ['created', 'closed'] };

export const roomsExpectation = defineExpectKind<'rooms', RoomsExpectation>({
  name: 'rooms',
  fields: { rooms: { t: 'count', required: true }, event: { t: 'enum', values: FAMILY.events }, room: str, reason: str, via: str },
  // the real server does not report rooms on the worker socket
  needsServerInsight: () => true,
  evaluate: (e, rule, input) =>
    countEventFamily(
      rule,
      input,
      FAMILY,
      e.event,
      { room: e.room, reason: e.reason, via: e.via },
      (x) =>
        (e.room === undefined || (x as { room: string }).room === e.room) &&
        hasText(e.reason, x.kind === 'room.closed' ? x.reason : undefined) &&
        (e.via === undefined || (x.kind === 'room.created' && x.via === e.via)),
    ),
});
