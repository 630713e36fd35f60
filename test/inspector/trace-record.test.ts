import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobType, RegisterWorkerRequest, WorkerMessage } from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { runExplain } from '../../cli/explain-command.ts';
import { ManualClock } from '../../mock-server/core/clock.ts';
import { MockCore } from '../../mock-server/server/mock-core.ts';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { recordedParts, TraceRecorder } from '../../mock-server/trace/trace-recorder.ts';
import { Trace } from '../../mock-server/trace/trace.ts';

const auth = { apiKey: 'devkey', apiSecret: 'secret', grants: { iss: 'devkey', video: { agent: true } }, identity: '' };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'lab-record-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const readLines = (files: string[]) => files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceEvent));

describe('--record: the trace appended to disk with rotation', () => {
  it('keeps every event across rotated files, in order, while memory keeps only the newest', () => {
    const file = join(tmp(), 'trace.jsonl');
    const trace = new Trace(new ManualClock(), { maxEvents: 5_000 });
    const recorder = new TraceRecorder(trace, file, { maxFileBytes: 200_000, keepFiles: 50, flushMs: 10_000 });
    for (let i = 0; i < 20_000; i++) trace.record({ kind: 'worker.status', workerId: `AW_${i % 7}`, status: 'WS_AVAILABLE', load: 0.1 });
    recorder.close();
    const parts = recordedParts(file, 50);
    expect(parts.length).toBeGreaterThan(3);
    expect(recorder.rotations).toBe(parts.length - 1);
    for (const p of parts) expect(readFileSync(p).length).toBeLessThanOrEqual(200_000);
    const events = readLines(parts);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: trace.lastSeq }, (_, i) => i + 1)); // gap events included
    expect(trace.stats().events).toBeLessThan(10_000);
  });

  it('keeps at most keepFiles rotated files', () => {
    const file = join(tmp(), 't.jsonl');
    const trace = new Trace(new ManualClock());
    const recorder = new TraceRecorder(trace, file, { maxFileBytes: 20_000, keepFiles: 2 });
    for (let i = 0; i < 5_000; i++) trace.record({ kind: 'log', level: 'info', message: `line ${i}` });
    recorder.close();
    expect(recordedParts(file, 10)).toEqual([`${file}.2`, `${file}.1`, file]);
    expect(readLines([file]).at(-1)!.seq).toBe(5_000);
  });

  it('explain reads a recorded (rotated) file and says why the job was dropped', async () => {
    const file = join(tmp(), 'serve.jsonl');
    const clock = new ManualClock();
    const core = new MockCore({ clock, seed: 5, timing: 'real' });
    const recorder = new TraceRecorder(core.trace, file, { maxFileBytes: 1_500 });
    const w = core.openWorkerSession({ send: () => undefined, terminate: () => undefined }, auth);
    w.handleMessage(new WorkerMessage({ message: { case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, agentName: 'my-agent' }) } }));
    const { room } = core.rooms.getOrCreate({ name: 'm1', emptyTimeout: 0, departureTimeout: 0, maxParticipants: 0, metadata: '', agents: [{ agentName: 'my-agent' } as never] }, 'token');
    core.rooms.markActive(room, core.rooms.join(room, { identity: 'alice', virtual: true }));
    await clock.advance(10_000);
    core.stop();
    recorder.close();
    expect(recordedParts(file).length).toBeGreaterThan(1);
    let out = '';
    expect(await runExplain(['--events', file], (s) => void (out += s))).toBe(0);
    expect(out).toContain('JT_PARTICIPANT room m1 agent "my-agent" for alice: never offered → DROPPED: no worker for agent "my-agent" with type JT_PARTICIPANT; registered: "my-agent" as JT_ROOM');
  });

  it('a file that cannot be opened is a one-line config error', () => {
    const trace = new Trace(new ManualClock());
    expect(() => new TraceRecorder(trace, join(tmp(), 'no', 'such', 'dir', 'x.jsonl'))).toThrow(/--record: cannot open .* for appending \(ENOENT\)/);
  });
});
