import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';

const ROOM_DELETED = 5;
const ROOM_CLOSED = 10;
const AGENT_KIND = 4;

interface AgentResult {
  events: { ev: string; room: string; identity?: string; reason?: number }[];
  agentIdentity: string;
  agentKind: number;
  closedAfterMs: number;
  roomClosed: string[];
  user2: string[];
}

describeInNetns<AgentResult>(
  'an unmodified @livekit/agents 1.9.0 worker against the mock (inside a private network namespace)',
  'ctx.connect(), waitForParticipant(); participant leaves → room closes after the departure timeout → job ends; DeleteRoom ends a job',
  new URL('./drivers/agent-lifecycle.ts', import.meta.url),
  { timeoutMs: 240_000 },
  (r) => {
    const of = (room: string) => r.events.filter((e) => e.room === room).map((e) => (e.reason !== undefined ? `${e.ev}:${e.reason}` : e.identity ? `${e.ev}:${e.identity}` : e.ev));
    expect(r.agentIdentity).toMatch(/^agent-AJ_/);
    expect(r.agentKind).toBe(AGENT_KIND);
    // When the room closes the server sends the agent's signal socket a Leave(ROOM_CLOSED) and the worker a
    // JobTermination at the same moment (livekit-server does both too); whichever reaches the job process first
    // disconnects it, so the reason is ROOM_CLOSED or, when the termination wins, CLIENT_INITIATED (1).
    const room1 = of('room-1');
    expect(room1.slice(0, 3)).toEqual([`connected:${r.agentIdentity}`, 'participant:user-1', 'participant_left:user-1']);
    expect([`room_disconnected:${ROOM_CLOSED}`, 'room_disconnected:1']).toContain(room1[3]);
    expect(room1.slice(4)).toEqual(['shutdown']);
    expect(of('room-2')).toContain(`room_disconnected:${ROOM_DELETED}`);
    expect(of('room-2').at(-1)).toBe('shutdown');
    expect(r.roomClosed).toEqual(['room-1:ROOM_CLOSED', 'room-2:ROOM_DELETED']);
    expect(r.user2.at(-1)).toBe(`room_disconnected:${ROOM_DELETED}`);
  },
);
