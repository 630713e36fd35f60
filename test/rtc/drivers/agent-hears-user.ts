// An unmodified @livekit/agents 1.9.0 worker hears a user and the user hears it, on the mock, inside the test namespace.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentServer, initializeLogger, ServerOptions } from '@livekit/agents';
import { AudioFrame, AudioSource, AudioStream, LocalAudioTrack, RoomEvent, TrackPublishOptions, TrackSource, type RemoteTrack } from '@livekit/rtc-node';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';

export interface AgentHearsUserResult {
  userTrackSid: string;
  agentEvents: { ev: string; sid?: string; identity?: string; frames?: number }[];
  userHeardAgentFrames: number;
  userSubscribedTo: string[];
}

runDriver(async (): Promise<AgentHearsUserResult> => {
  const eventsFile = join(mkdtempSync(join(tmpdir(), 'lab-agent-')), 'events.jsonl');
  process.env.AGENT_EVENTS_FILE = eventsFile;
  const events = (): AgentHearsUserResult['agentEvents'] =>
    existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

  const server = await startLabServer();
  initializeLogger({ pretty: false, level: 'warn' });
  const agentServer = new AgentServer(
    new ServerOptions({
      agent: fileURLToPath(new URL('./hearing-agent.ts', import.meta.url)),
      wsURL: server.url,
      apiKey: server.apiKey,
      apiSecret: server.apiSecret,
      numIdleProcesses: 0,
      production: false,
      simulation: true,
      loadFunc: async () => 0, // see agent-lifecycle.ts: the machine's CPU is not this worker's load
    }),
  );
  const running = agentServer.run();
  await waitFor(() => server.trace.since(0).some((e) => e.kind === 'worker.registered'), { reason: 'worker registration', timeoutMs: 60_000 });

  const user = await connectClient(server, await userToken(server, 'user', 'call'));
  let userHeardAgentFrames = 0;
  const userSubscribedTo: string[] = [];
  user.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub, participant) => {
    userSubscribedTo.push(`${participant.identity}:${pub.sid}`);
    void (async () => {
      for await (const frame of new AudioStream(track, 48_000, 1)) if (frame.data.some((s) => s !== 0)) userHeardAgentFrames++;
    })();
  });
  const source = new AudioSource(48_000, 1);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  const mic = await user.room.localParticipant!.publishTrack(LocalAudioTrack.createAudioTrack('mic', source), options);
  let talking = true;
  let phase = 0;
  const talk = (async () => {
    while (talking) {
      const data = new Int16Array(480);
      for (let i = 0; i < 480; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / 48_000));
      await source.captureFrame(new AudioFrame(data, 48_000, 1, 480));
    }
  })();

  await waitFor(() => events().some((e) => e.ev === 'heard' && (e.frames ?? 0) >= 100), { reason: 'the agent to hear 100 frames', timeoutMs: 60_000 });
  await waitFor(() => userHeardAgentFrames >= 100, { reason: 'the user to hear 100 frames of the agent', timeoutMs: 30_000 });
  await waitFor(() => events().some((e) => e.ev === 'subscribed_by_user'), { reason: "the agent's waitForSubscription()", timeoutMs: 10_000 });
  talking = false;
  await talk;
  const result: AgentHearsUserResult = { userTrackSid: mic.sid!, agentEvents: events(), userHeardAgentFrames, userSubscribedTo };
  await user.room.disconnect();
  await agentServer.close();
  await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
  await server.close();
  return result;
});
