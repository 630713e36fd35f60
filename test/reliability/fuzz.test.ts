import { describe, expect, it } from 'vitest';
import { startMockServer } from '../../mock-server/index.ts';
import { differentialFuzz, fuzzScenarios, fuzzServer } from '../../fuzz/fuzz-run.ts';
import { endpointOf as ep } from '../../fuzz/agent-probe.ts';
import { replayCommand as replay } from '../../fuzz/batches.ts';
import { eventually } from '../support/eventually.ts';
import { FUZZ_SEED as SEED, fuzzServers } from '../support/fuzz-servers.ts';

/**
 * Short form of the fuzzer (long form: `npm run fuzz -- --minutes N`). Seeds come from FUZZ_SEED or the
 * date, and every failure prints the line that replays it.
 */
describe(`fuzzing (seed ${SEED})`, () => {
  const servers = fuzzServers();

  it('the mock survives seeded /agent frames and Twirp bodies, answers GET / after every batch, and keeps no socket it dropped', async () => {
    const report = await fuzzServer(ep(servers.mock), { seed: SEED, agentInputs: 1500, twirpInputs: 1000, batch: 100 });
    const failures = report.failures.map((f) => `${f.entry} #${f.index} "${f.label}": ${f.problem}  (replay: ${replay(f)})`);
    console.log(`fuzz seed ${SEED}: tried ${JSON.stringify(report.tried)} in ${report.elapsedMs} ms; by category ${JSON.stringify(report.byCategory)}`);
    expect(failures).toEqual([]);
    expect(report.tried.agent).toBe(1500);
    expect(report.tried.twirp).toBe(1000);
    // every probe socket is gone from the server's registry once the probes closed them
    await eventually(() => (servers.mock.core.registry().sessions === 0 ? '' : `registry still holds ${JSON.stringify(servers.mock.core.registry())}`), { timeoutMs: 15_000 });
    expect(servers.mock.core.ledger.openJobs()).toEqual([]);
  }, 180_000);

  it('scenario files: every mutated library file parses or throws ScenarioFileError (never another error, never slowly)', async () => {
    const { tried, failures } = await fuzzScenarios({ seed: SEED, inputs: 3000 });
    console.log(`scenario fuzz seed ${SEED}: ${tried} files`);
    expect(failures.map((f) => `#${f.index} (${f.label}): ${f.problem}  (replay: ${replay(f)})`)).toEqual([]);
  }, 120_000);

  it('reacts to the same inputs as livekit-server v1.13.5 (connection kept or dropped; Twirp status and code)', async () => {
    // The comparison needs the real server's timing: with the fast preset a room the inputs created can close
    // (5 s empty timeout) before a later input addresses it, while livekit-server keeps it for 300 s.
    await using twin = await startMockServer({ port: 0, timing: 'real', seed: SEED + 1 });
    const { mismatches, tried } = await differentialFuzz(ep(twin), ep(servers.real), { seed: SEED + 1, agentInputs: 400, twirpInputs: 250, concurrency: 4 });
    console.log(`differential fuzz seed ${SEED + 1}: ${JSON.stringify(tried)} inputs on both servers, ${mismatches.length} differences`);
    expect(mismatches.map((m) => `${m.entry} #${m.index} "${m.label}": mock ${m.mock}, livekit-server ${m.real}  (replay: ${replay(m)})`)).toEqual([]);
    const alive = await fetch(`${servers.real.httpUrl}/`);
    expect(alive.status).toBe(200);
    expect(servers.real.exited).toBe(false);
  }, 180_000);
});
