import { str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEvents, describe, hasText } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';

export interface RoomsExpectation {
  rooms: Count;
  event?: 'created' | 'closed';
  room?: string;
  reason?: string;
  via?: string;
}

export const roomsExpectation = defineExpectKind<'rooms', RoomsExpectation>({
  name: 'rooms',
  fields: { rooms: { t: 'count', required: true }, event: { t: 'enum', values: ['created', 'closed'] }, room: str, reason: str, via: str },
  // the real server does not report rooms on the worker socket
  needsServerInsight: () => true,
  evaluate(e, rule, input) {
    const kind = `room.${e.event ?? 'created'}`;
    const what = describe(`room ${e.event ?? 'created'} event(s)`, { room: e.room, reason: e.reason, via: e.via });
    const context = input.events.filter((x) => x.kind === 'room.created' || x.kind === 'room.closed');
    const matches = context.filter(
      (x) =>
        x.kind === kind &&
        (e.room === undefined || (x as { room: string }).room === e.room) &&
        hasText(e.reason, x.kind === 'room.closed' ? x.reason : undefined) &&
        (e.via === undefined || (x.kind === 'room.created' && x.via === e.via)),
    );
    return countEvents(rule, what, matches, context, input);
  },
});
