import { str } from '../../schema/field-specs.ts';
import { defineEventCountKind, type EventCountExpectation } from '../event-count.ts';
import { participantKindName } from '../trace-lines.ts';

export type ParticipantsExpectation = EventCountExpectation<'participants', 'joined' | 'left' | 'published', { room?: string; identity?: string; kind?: string; first?: boolean; reason?: string }>;

export const participantsExpectation = defineEventCountKind<'participants', ParticipantsExpectation>({
  name: 'participants',
  family: { prefix: 'participant', events: ['joined', 'left', 'published'] },
  filters: { room: str, identity: str, kind: str, first: { t: 'boolean' }, reason: str },
  equal: ['room', 'identity'],
  accept(e, x) {
    if (e.kind !== undefined && (x.kind !== 'participant.joined' || participantKindName(x.participantKind) !== e.kind.toLowerCase())) return false;
    if (e.first !== undefined && (x.kind !== 'participant.published' || x.first !== e.first)) return false;
    return e.reason === undefined || (x.kind === 'participant.left' && x.reason.includes(e.reason));
  },
});
