// An unmodified @livekit/agents 1.9.0 worker (AgentServer) against the mock, inside the test namespace.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentServer, initializeLogger, ServerOptions } from '@livekit/agents';
import { RoomServiceClient } from 'livekit-server-sdk';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';

type AgentEvent = { ev: string; room: string; identity?: string; reason?: number };

runDriver(async () => {
  const eventsFile = join(mkdtempSync(join(tmpdir(), 'lab-agent-')), 'events.jsonl');
  process.env.AGENT_EVENTS_FILE = eventsFile;
  const events = (): AgentEvent[] => (existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  const has = (ev: string, room: string) => events().some((e) => e.ev === ev && e.room === room);

  const server = await startLabServer();
  initializeLogger({ pretty: false, level: 'warn' });
  const agentServer = new AgentServer(
    new ServerOptions({
      agent: fileURLToPath(new URL('./lifecycle-agent.ts', import.meta.url)),
      wsURL: server.url,
      apiKey: server.apiKey,
      apiSecret: server.apiSecret,
      numIdleProcesses: 0,
      production: false,
      simulation: true, // no health server on :8081, no load threshold
      // The mock applies livekit-server's load rule (no job when every worker reports load >= 0.7); the default load
      // is this machine's CPU, which parallel test files push past 0.7, so the test reports an idle worker.
      loadFunc: async () => 0,
    }),
  );
  const running = agentServer.run();
  await waitFor(() => server.trace.since(0).some((e) => e.kind === 'worker.registered'), { reason: 'worker registration', timeoutMs: 60_000 });
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
  await agentServer.close();
  await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
  await server.close();
  return { events: events().map(({ ev, room, identity, reason }) => ({ ev, room, identity, reason })), agentIdentity, agentKind, closedAfterMs, roomClosed, user2: user2.events };
});
