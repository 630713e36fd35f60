// An unmodified @livekit/agents 1.9.0 worker hears a user and the user hears it, on the mock, inside the test namespace.
import { AudioStream, RoomEvent, type RemoteTrack } from '@livekit/rtc-node';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { startAgentServer } from './agent-kit.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';
import { publishSine } from './sine-source.ts';

export interface AgentHearsUserResult {
  userTrackSid: string;
  agentEvents: { ev: string; sid?: string; identity?: string; frames?: number }[];
  userHeardAgentFrames: number;
  userSubscribedTo: string[];
}

runDriver(async (): Promise<AgentHearsUserResult> => {
  const server = await startLabServer();
  const agent = await startAgentServer<AgentHearsUserResult['agentEvents'][number]>(server, new URL('./hearing-agent.ts', import.meta.url));
  const events = () => agent.events();

  const user = await connectClient(server, await userToken(server, 'user', 'call'));
  let userHeardAgentFrames = 0;
  const userSubscribedTo: string[] = [];
  user.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub, participant) => {
    userSubscribedTo.push(`${participant.identity}:${pub.sid}`);
    void (async () => {
      for await (const frame of new AudioStream(track, 48_000, 1)) if (frame.data.some((s) => s !== 0)) userHeardAgentFrames++;
    })();
  });
  const mic = await publishSine(user.room.localParticipant!);

  await waitFor(() => events().some((e) => e.ev === 'heard' && (e.frames ?? 0) >= 100), { reason: 'the agent to hear 100 frames', timeoutMs: 60_000 });
  await waitFor(() => userHeardAgentFrames >= 100, { reason: 'the user to hear 100 frames of the agent', timeoutMs: 30_000 });
  await waitFor(() => events().some((e) => e.ev === 'subscribed_by_user'), { reason: "the agent's waitForSubscription()", timeoutMs: 10_000 });
  await mic.stop();
  const result: AgentHearsUserResult = { userTrackSid: mic.publication.sid!, agentEvents: events(), userHeardAgentFrames, userSubscribedTo };
  await user.room.disconnect();
  await agent.close();
  await server.close();
  return result;
});
