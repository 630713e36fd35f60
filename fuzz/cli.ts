/**
 * Long-form fuzzing: `npm run fuzz -- --minutes N [--seed S] [--no-differential]`
 * Replay one input:  `npm run fuzz -- --seed S --replay agent:INDEX` (or twirp:, scenario:, rtc-join:, rtc-signal:INDEX)
 *
 * Runs the mock on 127.0.0.1 with seeded inputs until the time is up, then (unless --no-differential, and
 * when the livekit-server binary is installed) the same kind of inputs against the mock and the real server.
 * Prints the inputs tried per entry point; exits 1 on any failure, each with the line that replays it.
 */
import { integerFlag, parseScriptArgs } from '../cli/args.ts';
import { startMockServer } from '../mock-server/index.ts';
import { startLiveKitServer } from '../targets/livekit-binary.ts';
import { endpointOf as ep, probeAgent, reactionClass } from './agent-probe.ts';
import { replayCommand } from './batches.ts';
import { agentInputAt, checkAgentReaction, checkTwirpReaction, differentialFuzz, fuzzScenarios, fuzzServer, twirpInputAt } from './fuzz-run.ts';
import { checkScenarioInput, scenarioCorpus, scenarioInputAt } from './scenario-fuzz.ts';
import { loopbackOnlyPeerFactory } from './loopback-peer.ts';
import { differentialRtc, fuzzRtc, identityFor, roomFor, rtcJoinInputAt, rtcSignalInputAt, checkJoinReaction, checkSignalReaction } from './rtc-run.ts';
import { probeRtcJoin, probeRtcSignal, signalReactionClass } from './rtc-probe.ts';
import { adminToken } from './tokens.ts';
import { sendTwirp } from './twirp-bodies.ts';

const USAGE = 'usage: npm run fuzz -- --minutes N [--seed S] [--replay agent:I|twirp:I|scenario:I|rtc-join:I|rtc-signal:I] [--no-differential]';
const values = parseScriptArgs('fuzz', USAGE, { minutes: { type: 'string', default: '1' }, seed: { type: 'string' }, replay: { type: 'string' }, 'no-differential': { type: 'boolean', default: false } }, (v) => ({
  ...v,
  seed: integerFlag('seed', v.seed, 0, 2 ** 53) ?? Math.floor(Math.random() * 2 ** 31),
  minutes: integerFlag('minutes', v.minutes, 1, 24 * 60)!,
}));
const { seed, minutes } = values;

// only loopback ICE candidates reach the mock's peer: fuzzed SDP/trickle could name any address
const rtc = { peerFactory: loopbackOnlyPeerFactory() };
const mock = await startMockServer({ port: 0, timing: 'fast', seed, rtc });
let exitCode = 0;
try {
  if (values.replay) {
    const [entry, idx] = values.replay.split(':');
    const index = Number(idx);
    if (entry === 'scenario') {
      const input = scenarioInputAt(seed, index, scenarioCorpus());
      console.log(`--- mutated file (${input.label}) ---\n${input.text}\n---\n${JSON.stringify(checkScenarioInput(input.text))}`);
    } else if (entry === 'rtc-join') {
      const input = rtcJoinInputAt(seed, index);
      const r = await probeRtcJoin(ep(mock), input, identityFor('j', index));
      console.log(JSON.stringify({ input: { ...input, query: input.query.slice(0, 400) }, reaction: r, problem: checkJoinReaction(input, r) ?? null }, null, 2));
    } else if (entry === 'rtc-signal') {
      const input = rtcSignalInputAt(seed, index);
      const r = await probeRtcSignal(ep(mock), input, roomFor(seed, 's', index), identityFor('s', index), index);
      console.log(JSON.stringify({ input: { ...input, frames: input.frames.map((f) => ({ binary: f.binary, hex: Buffer.from(f.data).toString('hex').slice(0, 400), bytes: Buffer.byteLength(f.data) })) }, reaction: signalReactionClass(r), problem: checkSignalReaction(input, r) ?? null }, null, 2));
    } else if (entry === 'agent') {
      const input = agentInputAt(seed, index);
      const r = await probeAgent(ep(mock), input);
      console.log(JSON.stringify({ input: { ...input, frames: input.frames.map((f) => ({ binary: f.binary, hex: Buffer.from(f.data).toString('hex').slice(0, 400), bytes: Buffer.byteLength(f.data) })) }, reaction: reactionClass(r), problem: checkAgentReaction(input, r) ?? null }, null, 2));
    } else {
      const input = twirpInputAt(seed, index);
      const r = await sendTwirp(mock.httpUrl, input, adminToken(mock, input.room));
      console.log(JSON.stringify({ input: { ...input, body: input.body.toString('utf8').slice(0, 400), bodyBytes: input.body.length }, reaction: r, problem: checkTwirpReaction(input, r) ?? null }, null, 2));
    }
  } else {
    const started = Date.now();
    const deadline = started + minutes * 60_000 * (values['no-differential'] ? 0.6 : 0.5);
    console.log(`fuzzing the mock at ${mock.httpUrl} with seed ${seed} for ${minutes} min`);
    const report = await fuzzServer(ep(mock), {
      seed,
      deadline,
      batch: 100,
      onProgress: (r) => process.stdout.write(`\r  tried /agent ${r.tried.agent}, twirp ${r.tried.twirp}, failures ${r.failures.length}   `),
    });
    process.stdout.write('\n');
    console.log(`inputs tried per entry point: /agent ${report.tried.agent}, twirp ${report.tried.twirp} (${(report.elapsedMs / 1000).toFixed(0)} s)`);
    console.log(`by category: ${JSON.stringify(report.byCategory)}`);
    console.log(`server registry after the run: ${JSON.stringify(mock.core.registry())}`);
    for (const f of report.failures) console.log(`FAIL ${f.entry} #${f.index} "${f.label}": ${f.problem}\n     replay: ${replayCommand(f)}`);
    if (report.failures.length) exitCode = 1;
    const rr = await fuzzRtc(ep(mock), {
      seed,
      deadline: Date.now() + minutes * 60_000 * (values['no-differential'] ? 0.3 : 0.2),
      batch: 100,
      onProgress: (r) => process.stdout.write(`\r  tried /rtc joins ${r.tried['rtc-join']}, signal ${r.tried['rtc-signal']}, failures ${r.failures.length}   `),
    });
    process.stdout.write('\n');
    console.log(`inputs tried per entry point: /rtc join+validate ${rr.tried['rtc-join']}, /rtc signal messages ${rr.tried['rtc-signal']} (${(rr.elapsedMs / 1000).toFixed(0)} s)`);
    console.log(`by category: ${JSON.stringify(rr.byCategory)}`);
    for (const f of rr.failures) console.log(`FAIL ${f.entry} #${f.index} "${f.label}": ${f.problem}\n     replay: ${replayCommand(f)}`);
    if (rr.failures.length) exitCode = 1;
    const sc = await fuzzScenarios({ seed, deadline: Date.now() + minutes * 60_000 * 0.1 });
    console.log(`inputs tried per entry point: scenario files ${sc.tried}`);
    for (const f of sc.failures) console.log(`FAIL scenario #${f.index} (${f.label}): ${f.problem}\n     replay: ${replayCommand(f)}`);
    if (sc.failures.length) exitCode = 1;
    if (!values['no-differential']) {
      const real = await startLiveKitServer().catch((e: Error) => {
      console.log(`differential skipped: ${e.message}`);
      return undefined;
    });
      if (real) {
        try {
          const left = Math.max(20_000, started + minutes * 60_000 - Date.now());
          // about 60 inputs per second on both servers
          const n = Math.max(50, Math.floor((left / 1000) * 30));
          // a twin with the real server's timing, so rooms live as long on both sides
          await using twin = await startMockServer({ port: 0, timing: 'real', seed: seed + 1, rtc });
          const d = await differentialFuzz(ep(twin), ep(real), { seed: seed + 1, agentInputs: n, twirpInputs: Math.floor(n / 2), concurrency: 4 });
          console.log(`differential (mock vs livekit-server): /agent ${d.tried.agent}, twirp ${d.tried.twirp}, differences ${d.mismatches.length}`);
          for (const m of d.mismatches) console.log(`DIFF ${m.entry} #${m.index} "${m.label}": mock ${m.mock}, livekit-server ${m.real}  (seed ${m.runSeed})`);
          if (d.mismatches.length) exitCode = 1;
          const dr = await differentialRtc(ep(twin), ep(real), { seed: seed + 1, joinInputs: Math.floor(n / 2), signalInputs: Math.floor(n / 3), concurrency: 4 });
          console.log(`differential (mock vs livekit-server): /rtc join+validate ${dr.tried['rtc-join']}, /rtc signal ${dr.tried['rtc-signal']} (${dr.skipped} SDP/ICE inputs not sent), differences ${dr.mismatches.length}`);
          for (const m of dr.mismatches) console.log(`DIFF ${m.entry} #${m.index} "${m.label}": mock ${m.mock}, livekit-server ${m.real}  (seed ${m.runSeed})`);
          if (dr.mismatches.length) exitCode = 1;
        } finally {
          await real.dispose();
        }
      }
    }
  }
} finally {
  await mock.close();
}
process.exit(exitCode);
