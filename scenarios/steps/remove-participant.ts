import { roomAndIdentity } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

/** RoomService.RemoveParticipant. */
export const removeParticipantStep = defineStep<'removeParticipant', { room: string; identity: string }>({
  name: 'removeParticipant',
  fields: roomAndIdentity,
  run: (p, env) => env.api.removeParticipant(p.room, p.identity),
});
