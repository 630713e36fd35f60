// Python (livekit rtc, the Rust SDK through FFI) sends data and text streams; a Node client receives them.
// Runs inside the test network namespace (test/rtc/python-data.test.ts).
import { fileURLToPath } from 'node:url';
import { RoomEvent } from '@livekit/rtc-node';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { venvPython } from '../../../agent-runtime/index.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';
import { startLineReporter } from './line-reporter.ts';

export interface PythonStep {
  step: string;
  ok?: boolean;
  error?: string;
  ms?: number;
}

export interface PythonDataResult {
  steps: PythonStep[];
  /** What the Node receiver got: `data:<topic>:<payload>` and `text:<sender>:<text, or its length when long>` (the handler is for topic `lab`). */
  got: string[];
  /** Rust SDK error lines from the sender's log (e.g. "publisher data channel '_reliable' closed unexpectedly"). */
  senderErrors: string[];
}

const SENDER = fileURLToPath(new URL('./python_data_sender.py', import.meta.url));

runDriver(async (): Promise<PythonDataResult> => {
  const server = await startLabServer();
  const bob = await connectClient(server, await userToken(server, 'bob', 'r1'));
  const got: string[] = [];
  bob.room.registerTextStreamHandler('lab', async (reader, info) => {
    const text = await reader.readAll();
    got.push(`text:${info.identity}:${text.length > 100 ? `${text.length} chars` : text}`);
  });
  bob.room.on(RoomEvent.DataReceived, (payload, _p, _kind, topic) => got.push(`data:${topic}:${Buffer.from(payload).toString()}`));

  const py = startLineReporter<PythonStep>(venvPython(), [SENDER, server.url, await userToken(server, 'alice', 'r1'), 'bob'], '@@py ');
  const steps = py.lines;
  try {
    // send_text fails only after the SDK's 15 s reconnect wait: allow for it, so a regression reports its error
    await waitFor(() => py.exited() || steps.filter((s) => s.ok !== undefined).length === 3, { reason: 'the sender to finish its three sends', timeoutMs: 40_000 });
    if (py.exited()) throw new Error(`the Python sender exited early; its output:\n${py.log()}`);
    const expected = steps.filter((s) => s.ok).length;
    await waitFor(() => got.length >= expected, { reason: `the receiver to get ${expected} items`, timeoutMs: 5_000 }).catch(() => undefined);
  } finally {
    await py.stop('the Python sender');
  }
  await bob.room.disconnect();
  await server.close();
  const senderErrors = py.log().split('\n').filter((line) => line.startsWith('ERROR:livekit'));
  return { steps, got, senderErrors };
});
