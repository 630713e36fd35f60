import { reqStr } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

/** RoomService.DeleteRoom. */
export const deleteRoomStep = defineStep<'deleteRoom', { room: string }>({
  name: 'deleteRoom',
  fields: { room: reqStr },
  run: (d, env) => env.api.deleteRoom(d.room),
});
