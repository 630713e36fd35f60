// Smallest end-to-end check: one rtc-node client connects to the mock and disconnects.
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';

runDriver(async () => {
  const server = await startLabServer();
  const alice = await connectClient(server, await userToken(server, 'alice', 'r1'));
  const result = { connectMs: Math.round(alice.connectMs), sid: alice.room.localParticipant?.sid, roomName: alice.room.name };
  await alice.room.disconnect();
  await server.close();
  return result;
});
