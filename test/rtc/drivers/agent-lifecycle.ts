// An unmodified @livekit/agents 1.9.0 worker (AgentServer) against the mock, inside the test namespace.
import { RoomServiceClient } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { startAgentServer } from './agent-kit.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';

type AgentEvent = { ev: string; room: string; identity?: string; reason?: number };

runDriver(async () => {
  const server = await startLabServer();
  const agent = await startAgentServer<AgentEvent>(server, new URL('./lifecycle-agent.ts', import.meta.url));
  const events = () => agent.events();
  const has = (ev: string, room: string) => events().some((e) => e.ev === ev && e.room === room);
  const admin = new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret);

  // 1. participant leaves → departure timeout → room closes → the job ends and its shutdown callback runs
  const user1 = await connectClient(server, await userToken(server, 'user-1', 'room-1'));
  await waitFor(() => has('connected', 'room-1'), { reason: 'agent connected in room-1', timeoutMs: 60_000 });
  await waitFor(() => events().some((e) => e.ev === 'participant' && e.identity === 'user-1'), { reason: 'agent saw user-1', timeoutMs: 30_000 });
  const agentIdentity = events().find((e) => e.ev === 'connected' && e.room === 'room-1')?.identity ?? '';
  await waitFor(() => user1.room.remoteParticipants.has(agentIdentity), { reason: 'user-1 sees the agent', timeoutMs: 10_000 });
  const agentKind = user1.room.remoteParticipants.get(agentIdentity)?.info?.kind;
  const leftAt = Date.now();
  await user1.room.disconnect();
  await waitFor(() => server.trace.since(0).some((e) => e.kind === 'room.closed' && e.room === 'room-1'), { reason: 'room-1 closed', timeoutMs: 20_000 });
  const closedAfterMs = Date.now() - leftAt;
  await waitFor(() => has('shutdown', 'room-1'), { reason: 'job 1 shutdown callback', timeoutMs: 40_000 });

  // 2. DeleteRoom ends a job
  const user2 = await connectClient(server, await userToken(server, 'user-2', 'room-2'));
  await waitFor(() => has('connected', 'room-2'), { reason: 'agent connected in room-2', timeoutMs: 60_000 });
  await admin.deleteRoom('room-2');
  await waitFor(() => has('shutdown', 'room-2'), { reason: 'job 2 shutdown callback', timeoutMs: 40_000 });
  await waitFor(() => user2.events.some((e) => e.startsWith('room_disconnected:')), { reason: 'user-2 disconnected', timeoutMs: 10_000 });

  const roomClosed = server.trace.since(0).filter((e) => e.kind === 'room.closed').map((e) => `${e.room}:${(e as { reason: string }).reason}`);
  await agent.close();
  await server.close();
  return { events: events().map(({ ev, room, identity, reason }) => ({ ev, room, identity, reason })), agentIdentity, agentKind, closedAfterMs, roomClosed, user2: user2.events };
});
