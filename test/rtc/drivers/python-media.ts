// A Node client sends data and publishes a sine; Python (livekit rtc, the Rust SDK) receives both.
// Runs inside the test network namespace (test/rtc/python-media.test.ts).
import { fileURLToPath } from 'node:url';
import { venvPython } from '../../../agent-runtime/index.ts';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';
import { startLineReporter } from './line-reporter.ts';
import { publishSine, type PlayingSine } from './sine-source.ts';

export interface PythonMediaResult {
  published: string;
  data: { payload: string; kind: number; sender: string }[];
  tracks: { sid: string; participant: string }[];
  framesWithEnergy: number;
}

const RECEIVER = fileURLToPath(new URL('./python_media_receiver.py', import.meta.url));

runDriver(async (): Promise<PythonMediaResult> => {
  const server = await startLabServer();
  const py = startLineReporter<Record<string, unknown>>(venvPython(), [RECEIVER, server.url, await userToken(server, 'py', 'r1')], '@@py ');
  const of = (step: string) => py.lines.filter((l) => l.step === step);
  let sine: PlayingSine | undefined;
  try {
    await waitFor(() => py.exited() || of('connected').length > 0, { reason: 'the Python receiver to connect', timeoutMs: 30_000 });
    if (py.exited()) throw new Error(`the Python receiver exited early:\n${py.log()}`);
    const alice = await connectClient(server, await userToken(server, 'alice', 'r1'));
    await waitFor(() => alice.room.remoteParticipants.has('py'), { reason: 'alice to see py' });
    const lp = alice.room.localParticipant!;
    await lp.publishData(Buffer.from('hello-python'), { reliable: true });
    await lp.publishData(Buffer.from('lossy-python'), { reliable: false });
    await waitFor(() => of('data').some((d) => d.payload === 'hello-python'), { reason: 'Python to get the reliable packet', timeoutMs: 10_000 });

    sine = await publishSine(lp);
    await waitFor(() => of('frames').some((f) => (f.with_energy as number) >= 100), { reason: 'Python to hear 100 frames with energy', timeoutMs: 20_000 });
    await sine.stop();
    const result: PythonMediaResult = {
      published: sine.publication.sid!,
      data: of('data') as never,
      tracks: of('track') as never,
      framesWithEnergy: Math.max(0, ...of('frames').map((f) => f.with_energy as number)),
    };
    await alice.room.disconnect();
    return result;
  } finally {
    await sine?.stop().catch(() => undefined);
    await py.stop('the Python receiver');
    await server.close();
  }
});
