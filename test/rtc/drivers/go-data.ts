// A Go client (server-sdk-go v2.19.0, pion; /rtc v0 with two PeerConnections) and a Node client exchange data
// through the mock. Runs inside the test network namespace (test/rtc/go-client.test.ts); GO_CLIENT is the built binary.
import { spawn } from 'node:child_process';
import { RoomEvent } from '@livekit/rtc-node';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';

export interface GoDataResult {
  goGot: { payload: string; from: string }[];
  nodeGot: string[];
  /** pion's complaints about the mock's trickle ("could not add ICE candidate", "invalid ice-char"). */
  iceErrors: string[];
}

runDriver(async (): Promise<GoDataResult> => {
  const server = await startLabServer();
  const alice = await connectClient(server, await userToken(server, 'alice', 'r1'));
  const nodeGot: string[] = [];
  alice.room.on(RoomEvent.DataReceived, (payload, p) => nodeGot.push(`${p?.identity}:${Buffer.from(payload).toString()}`));

  const go = spawn(process.env.GO_CLIENT!, [server.url, await userToken(server, 'gopher', 'r1')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Record<string, string>[] = [];
  let log = '';
  let exited = false;
  go.on('exit', () => (exited = true));
  go.stdout.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.startsWith('@@go ')) lines.push(JSON.parse(line.slice(5)) as Record<string, string>);
  });
  go.stderr.on('data', (d: Buffer) => void (log += d.toString()));
  const of = (ev: string) => lines.filter((l) => l.ev === ev);
  try {
    await waitFor(() => exited || of('connected').length > 0 || of('error').length > 0, { reason: 'the Go client to connect', timeoutMs: 30_000 });
    if (exited || of('error').length) throw new Error(`the Go client failed: ${JSON.stringify(of('error'))}\n${log}`);
    await waitFor(() => alice.room.remoteParticipants.has('gopher'), { reason: 'alice to see gopher' });
    await alice.room.localParticipant!.publishData(Buffer.from('hello-go'), { reliable: true });
    await waitFor(() => of('data').length > 0, { reason: 'Go to get the packet', timeoutMs: 10_000 }).catch(() => undefined);
    go.stdin.write('send hello-node\n');
    await waitFor(() => nodeGot.length > 0, { reason: 'Node to get the packet from Go', timeoutMs: 10_000 }).catch(() => undefined);
    return {
      goGot: of('data').map((d) => ({ payload: d.payload, from: d.from })),
      nodeGot,
      iceErrors: log.split('\n').filter((l) => /could not add ICE candidate|invalid ice-char/.test(l)),
    };
  } finally {
    if (!exited) go.stdin.end('done\n');
    await waitFor(() => exited, { reason: 'the Go client to exit', timeoutMs: 10_000 }).catch(() => go.kill('SIGKILL'));
    await alice.room.disconnect();
    await server.close();
  }
});
