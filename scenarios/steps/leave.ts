import { roomAndIdentity } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

/** A participant leaves the room by itself. */
export const leaveStep = defineStep<'leave', { room: string; identity: string }>({
  name: 'leave',
  fields: roomAndIdentity,
  run: (p, env) => env.participants.leave(p.room, p.identity),
});
