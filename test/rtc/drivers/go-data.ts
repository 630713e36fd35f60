// A Go client (server-sdk-go v2.19.0, pion; /rtc v0 with two PeerConnections) and a Node client exchange data
// through the mock. Runs inside the test network namespace (test/rtc/go-client.test.ts); GO_CLIENT is the built binary.
import { RoomEvent } from '@livekit/rtc-node';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';
import { startLineReporter } from './line-reporter.ts';
import { publishSine } from './sine-source.ts';

export interface GoDataResult {
  goGot: { payload: string; from: string }[];
  nodeGot: string[];
  /** pion's complaints about the mock's trickle ("could not add ICE candidate", "invalid ice-char"). */
  iceErrors: string[];
  published: string;
  /** The Go client's OnTrackSubscribed (sid, mime) and the most RTP packets with a payload it counted on it. */
  goTracks: { sid: string; from: string; mime: string }[];
  goRtpPackets: number;
}

runDriver(async (): Promise<GoDataResult> => {
  const server = await startLabServer();
  const alice = await connectClient(server, await userToken(server, 'alice', 'r1'));
  const nodeGot: string[] = [];
  alice.room.on(RoomEvent.DataReceived, (payload, p) => nodeGot.push(`${p?.identity}:${Buffer.from(payload).toString()}`));

  const go = startLineReporter<Record<string, string>>(process.env.GO_CLIENT!, [server.url, await userToken(server, 'gopher', 'r1')], '@@go ');
  const of = (ev: string) => go.lines.filter((l) => l.ev === ev);
  try {
    await waitFor(() => go.exited() || of('connected').length > 0 || of('error').length > 0, { reason: 'the Go client to connect', timeoutMs: 30_000 });
    if (go.exited() || of('error').length) throw new Error(`the Go client failed: ${JSON.stringify(of('error'))}\n${go.log()}`);
    await waitFor(() => alice.room.remoteParticipants.has('gopher'), { reason: 'alice to see gopher' });
    await alice.room.localParticipant!.publishData(Buffer.from('hello-go'), { reliable: true });
    await waitFor(() => of('data').length > 0, { reason: 'Go to get the packet', timeoutMs: 10_000 }).catch(() => undefined);
    go.child.stdin.write('send hello-node\n');
    await waitFor(() => nodeGot.length > 0, { reason: 'Node to get the packet from Go', timeoutMs: 10_000 }).catch(() => undefined);

    // audio to Go: on its server-offered subscriber PeerConnection
    const sine = await publishSine(alice.room.localParticipant!);
    const publication = sine.publication;
    await waitFor(() => of('rtp').some((r) => Number(r.packets) >= 100), { reason: 'Go to count 100 RTP packets', timeoutMs: 45_000 }).catch(() => undefined);
    await sine.stop();
    return {
      published: publication.sid!,
      goTracks: of('track').map((t) => ({ sid: t.sid, from: t.from, mime: t.mime })),
      goRtpPackets: Math.max(0, ...of('rtp').map((r) => Number(r.packets))),
      goGot: of('data').map((d) => ({ payload: d.payload, from: d.from })),
      nodeGot,
      iceErrors: go.log().split('\n').filter((l) => /could not add ICE candidate|invalid ice-char/.test(l)),
    };
  } finally {
    await go.stop('the Go client');
    await alice.room.disconnect();
    await server.close();
  }
});
