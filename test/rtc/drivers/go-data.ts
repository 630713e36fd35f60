// A Go client (server-sdk-go v2.19.0, pion; /rtc v0 with two PeerConnections) and a Node client exchange data
// through the mock. Runs inside the test network namespace (test/rtc/go-client.test.ts); GO_CLIENT is the built binary.
import { spawn } from 'node:child_process';
import { AudioFrame, AudioSource, LocalAudioTrack, RoomEvent, TrackPublishOptions, TrackSource } from '@livekit/rtc-node';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';

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

    // audio to Go: on its server-offered subscriber PeerConnection
    const source = new AudioSource(48_000, 1);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    const publication = await alice.room.localParticipant!.publishTrack(LocalAudioTrack.createAudioTrack('mic', source), options);
    let pumping = true;
    let phase = 0;
    const pump = (async () => {
      while (pumping) {
        const data = new Int16Array(480);
        for (let i = 0; i < 480; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / 48_000));
        await source.captureFrame(new AudioFrame(data, 48_000, 1, 480));
      }
    })();
    await waitFor(() => of('rtp').some((r) => Number(r.packets) >= 100), { reason: 'Go to count 100 RTP packets', timeoutMs: 20_000 }).catch(() => undefined);
    pumping = false;
    await pump;
    return {
      published: publication.sid!,
      goTracks: of('track').map((t) => ({ sid: t.sid, from: t.from, mime: t.mime })),
      goRtpPackets: Math.max(0, ...of('rtp').map((r) => Number(r.packets))),
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
