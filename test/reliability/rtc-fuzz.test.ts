import { describe, expect, it } from 'vitest';
import { startMockServer } from '../../mock-server/index.ts';
import { endpointOf as ep } from '../../fuzz/agent-probe.ts';
import { replayCommand as replay } from '../../fuzz/batches.ts';
import { loopbackOnlyPeerFactory } from '../../fuzz/loopback-peer.ts';
import { differentialRtc, fuzzRtc } from '../../fuzz/rtc-run.ts';
import { eventually } from '../support/eventually.ts';
import { FUZZ_SEED as SEED, fuzzServers } from '../support/fuzz-servers.ts';

/**
 * Short form of the /rtc fuzzer (long form: `npm run fuzz -- --minutes N`): join requests and validate
 * calls, then frames on a joined participant's signal socket. Seeds come from FUZZ_SEED or the date.
 */
describe(`/rtc fuzzing (seed ${SEED})`, () => {
  const servers = fuzzServers({ rtc: { peerFactory: loopbackOnlyPeerFactory() } });

  it('the mock survives seeded join requests and signal frames, answers GET / after every batch, and lets every fuzz participant go', async () => {
    const report = await fuzzRtc(ep(servers.mock), { seed: SEED, joinInputs: 400, signalInputs: 300, batch: 100 });
    console.log(`rtc fuzz seed ${SEED}: tried ${JSON.stringify(report.tried)} in ${report.elapsedMs} ms; by category ${JSON.stringify(report.byCategory)}`);
    expect(report.failures.map((f) => `${f.entry} #${f.index} "${f.label}": ${f.problem}  (replay: ${replay(f)})`)).toEqual([]);
    expect(report.tried).toEqual({ 'rtc-join': 400, 'rtc-signal': 300 });
    // every probe left (leave) or lost its socket: after the signal-loss grace no participant remains
    await eventually(
      () => {
        const left = servers.mock.core.rooms.list().flatMap((r) => [...r.participants.keys()]);
        return left.length === 0 ? '' : `participants still in rooms: ${left.slice(0, 5).join(', ')}`;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  }, 120_000);

  it('reacts to the same /rtc inputs as livekit-server v1.13.5 (upgrade and validate status and text; signal socket kept or closed)', async () => {
    // the real server's timing, so rooms live as long on both sides
    await using twin = await startMockServer({ port: 0, timing: 'real', seed: SEED + 1, rtc: { peerFactory: loopbackOnlyPeerFactory() } });
    const { mismatches, tried, skipped } = await differentialRtc(ep(twin), ep(servers.real), { seed: SEED + 1, joinInputs: 250, signalInputs: 150, concurrency: 4 });
    console.log(`rtc differential seed ${SEED + 1}: ${JSON.stringify(tried)} on both servers (${skipped} SDP/ICE/simulate inputs not sent), ${mismatches.length} differences`);
    expect(mismatches.map((m) => `${m.entry} #${m.index} "${m.label}": mock ${m.mock}, livekit-server ${m.real}  (replay: ${replay(m)})`)).toEqual([]);
    expect((await fetch(`${servers.real.httpUrl}/`)).status).toBe(200);
    expect(servers.real.exited).toBe(false);
  }, 150_000);
});
