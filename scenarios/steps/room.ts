import type { AgentDispatchSpec } from '../model.ts';
import { ms, reqStr, str } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

export interface RoomStep {
  name: string;
  agents?: AgentDispatchSpec[];
  metadata?: string;
  emptyTimeout?: number;
  departureTimeout?: number;
}

/** RoomService.CreateRoom, optionally with `agents` (dispatches made with the room). */
export const roomStep = defineStep<'room', RoomStep>({
  name: 'room',
  fields: { name: reqStr, agents: { t: 'agents' }, metadata: str, emptyTimeout: ms, departureTimeout: ms },
  async run(room, env) {
    await env.api.createRoom(room);
  },
});
