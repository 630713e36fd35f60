import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import type { Endpoint } from '../../fuzz/agent-probe.ts';
import { loopbackOnlyPeerFactory } from '../../fuzz/loopback-peer.ts';
import { differentialRtc, fuzzRtc, type RtcFailure, type RtcMismatch } from '../../fuzz/rtc-run.ts';
import { eventually } from '../support/eventually.ts';

/**
 * Short form of the /rtc fuzzer (long form: `npm run fuzz -- --minutes N`): join requests and validate
 * calls, then frames on a joined participant's signal socket. Seeds come from FUZZ_SEED or the date.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Date.now() / 86_400_000));
const ep = (t: { wsUrl: string; httpUrl: string; apiKey: string; apiSecret: string }): Endpoint => ({ wsUrl: t.wsUrl, httpUrl: t.httpUrl, apiKey: t.apiKey, apiSecret: t.apiSecret });
const replay = (f: RtcFailure | RtcMismatch) => `npm run fuzz -- --seed ${f.runSeed} --replay ${f.entry}:${f.index}`;

describe(`/rtc fuzzing (seed ${SEED})`, () => {
  let mock: StartedMockServer;
  let real: StartedLiveKitServer;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, timing: 'fast', seed: SEED, rtc: { peerFactory: loopbackOnlyPeerFactory() } });
    real = await startLiveKitServer();
  }, 90_000);

  afterAll(async () => {
    await mock?.close();
    await real?.dispose();
  }, 60_000);

  it('the mock survives seeded join requests and signal frames, answers GET / after every batch, and lets every fuzz participant go', async () => {
    const report = await fuzzRtc(ep(mock), { seed: SEED, joinInputs: 400, signalInputs: 300, batch: 100 });
    console.log(`rtc fuzz seed ${SEED}: tried ${JSON.stringify(report.tried)} in ${report.elapsedMs} ms; by category ${JSON.stringify(report.byCategory)}`);
    expect(report.failures.map((f) => `${f.entry} #${f.index} "${f.label}": ${f.problem}  (replay: ${replay(f)})`)).toEqual([]);
    expect(report.tried).toEqual({ 'rtc-join': 400, 'rtc-signal': 300 });
    // every probe left (leave) or lost its socket: after the signal-loss grace no participant remains
    await eventually(
      () => {
        const left = mock.core.rooms.list().flatMap((r) => [...r.participants.keys()]);
        return left.length === 0 ? '' : `participants still in rooms: ${left.slice(0, 5).join(', ')}`;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  }, 120_000);

  it('reacts to the same /rtc inputs as livekit-server v1.13.5 (upgrade and validate status and text; signal socket kept or closed)', async () => {
    // the real server's timing, so rooms live as long on both sides
    await using twin = await startMockServer({ port: 0, timing: 'real', seed: SEED + 1, rtc: { peerFactory: loopbackOnlyPeerFactory() } });
    const { mismatches, tried, skipped } = await differentialRtc(ep(twin), ep(real), { seed: SEED + 1, joinInputs: 250, signalInputs: 150, concurrency: 4 });
    console.log(`rtc differential seed ${SEED + 1}: ${JSON.stringify(tried)} on both servers (${skipped} SDP/ICE/simulate inputs not sent), ${mismatches.length} differences`);
    expect(mismatches.map((m) => `${m.entry} #${m.index} "${m.label}": mock ${m.mock}, livekit-server ${m.real}  (replay: ${replay(m)})`)).toEqual([]);
    expect((await fetch(`${real.httpUrl}/`)).status).toBe(200);
    expect(real.exited).toBe(false);
  }, 150_000);
});
