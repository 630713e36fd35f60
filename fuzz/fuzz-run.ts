import { agentInput, type AgentInput } from './agent-frames.ts';
import { probeAgent, reactionClass, type AgentReaction, type Endpoint } from './agent-probe.ts';
import { fuzzLanes, pool, type Failure, type FuzzRunReport, type Mismatch as EntryMismatch } from './batches.ts';
import { inputSeed, Rng } from './rng.ts';
import { adminToken } from './tokens.ts';
import { sendTwirp, twirpInput, type TwirpInput, type TwirpReaction } from './twirp-bodies.ts';

export type EntryPoint = 'agent' | 'twirp' | 'scenario';

export type FuzzFailure = Failure<EntryPoint>;

export type FuzzReport = FuzzRunReport<EntryPoint>;

export interface FuzzOptions {
  seed: number;
  /** Stop after this many inputs per entry point… */
  agentInputs?: number;
  twirpInputs?: number;
  /** …or at this time, whichever comes first. */
  deadline?: number;
  concurrency?: number;
  /** Check `GET /` after every batch of this many inputs. */
  batch?: number;
  onProgress?: (report: FuzzReport) => void;
}

/** The input at `index` of run `runSeed`: exactly what a run drew, so a failure replays alone. */
export const agentInputAt = (runSeed: number, index: number): AgentInput => agentInput(new Rng(inputSeed(runSeed, index)));
export const twirpInputAt = (runSeed: number, index: number, roomPrefix = 'fz-'): TwirpInput => twirpInput(new Rng(inputSeed(runSeed ^ 0x5151, index)), roomPrefix);

/** What the mock must do with an `/agent` input, whatever the input: answer, and close only as the real server (no close frame). */
export function checkAgentReaction(input: AgentInput, r: AgentReaction): string | undefined {
  if (r.kind === 'silent') return 'no pong and no close: the connection hung';
  if (r.kind === 'refused') return `upgrade refused with ${r.status}`;
  if (r.kind === 'closed' && r.code !== 1006) return `closed with code ${r.code}; livekit-server drops the TCP connection without a close frame (1006)`;
  const got = r.kind === 'open' ? 'open' : 'closed';
  if (input.expect && input.expect !== got) return `expected the connection ${input.expect === 'open' ? 'kept open' : 'closed'}, got ${reactionClass(r)}`;
  return undefined;
}

/** What the mock must do with any Twirp input: a Twirp JSON error or 200, never an internal error or a hang. */
export function checkTwirpReaction(input: TwirpInput, r: TwirpReaction): string | undefined {
  if (r.status >= 500) return `status ${r.status} (${r.bodyClass}): the mock failed internally`;
  if (r.bodyClass !== 'ok' && !r.bodyClass.startsWith('twirp:')) return `status ${r.status} with a ${r.bodyClass} body; Twirp answers every error with Twirp JSON`;
  if (input.category === 'http_method' && r.bodyClass !== 'twirp:bad_route') return `non-POST gave ${r.bodyClass}, expected twirp:bad_route`;
  return undefined;
}

/**
 * Seeded, bounded fuzzing of one server: `/agent` frames and Twirp bodies, in batches, with `GET /` checked
 * after each batch. Every failure carries (runSeed, index): `agentInputAt(runSeed, index)` rebuilds the input.
 */
export function fuzzServer(ep: Endpoint, opts: FuzzOptions): Promise<FuzzReport> {
  return fuzzLanes<EntryPoint>(ep, {
    ...opts,
    tried: { agent: 0, twirp: 0, scenario: 0 },
    lanes: [
      {
        entry: 'agent',
        max: opts.agentInputs,
        probe: (index) => {
          const input = agentInputAt(opts.seed, index);
          return { ...input, problem: async () => checkAgentReaction(input, await probeAgent(ep, input)) };
        },
      },
      {
        entry: 'twirp',
        max: opts.twirpInputs,
        probe: (index) => {
          const input = twirpInputAt(opts.seed, index);
          return { ...input, problem: async () => checkTwirpReaction(input, await sendTwirp(ep.httpUrl, input, adminToken(ep, input.room))) };
        },
      },
    ],
  });
}

export type Mismatch = EntryMismatch<EntryPoint>;

/**
 * The same inputs against the mock and the real server; returns where their reactions differ
 * (connection kept or dropped and how; status and Twirp code).
 */
export async function differentialFuzz(mock: Endpoint, real: Endpoint, opts: { seed: number; agentInputs: number; twirpInputs: number; concurrency?: number }): Promise<{ mismatches: Mismatch[]; tried: Record<EntryPoint, number> }> {
  const mismatches: Mismatch[] = [];
  const c = opts.concurrency ?? 6;
  await pool(opts.agentInputs, c, () => false, async (index) => {
    const input = agentInputAt(opts.seed, index);
    const [m, r] = await Promise.all([probeAgent(mock, input), probeAgent(real, input)]);
    if (reactionClass(m) !== reactionClass(r)) mismatches.push({ entry: 'agent', runSeed: opts.seed, index, label: input.label, mock: reactionClass(m), real: reactionClass(r) });
  });
  await pool(opts.twirpInputs, c, () => false, async (index) => {
    const input = twirpInputAt(opts.seed, index, `fzd${opts.seed % 1000}-`);
    const tok = (ep: Endpoint) => adminToken(ep, input.room);
    const show = (r: TwirpReaction | Error) => (r instanceof Error ? `error ${r.message}` : `${r.status} ${r.bodyClass}`);
    const [m, r] = await Promise.all([
      sendTwirp(mock.httpUrl, input, tok(mock)).catch((e: Error) => e),
      sendTwirp(real.httpUrl, input, tok(real)).catch((e: Error) => e),
    ]);
    if (show(m) !== show(r)) mismatches.push({ entry: 'twirp', runSeed: opts.seed, index, label: input.label, mock: show(m), real: show(r) });
  });
  return { mismatches, tried: { agent: opts.agentInputs, twirp: opts.twirpInputs, scenario: 0 } };
}

/** Scenario files: mutated library files through parseScenario; each must parse or throw ScenarioFileError, quickly. */
export async function fuzzScenarios(opts: { seed: number; inputs?: number; deadline?: number }): Promise<{ tried: number; failures: FuzzFailure[] }> {
  const { checkScenarioInput, scenarioCorpus, scenarioInputAt } = await import('./scenario-fuzz.ts');
  const corpus = scenarioCorpus();
  const failures: FuzzFailure[] = [];
  let tried = 0;
  for (let index = 0; index < (opts.inputs ?? Infinity); index++) {
    if (opts.deadline !== undefined && Date.now() >= opts.deadline) break;
    const input = scenarioInputAt(opts.seed, index, corpus);
    const r = checkScenarioInput(input.text);
    tried++;
    if (!r.ok) failures.push({ entry: 'scenario', runSeed: opts.seed, index, label: input.label, problem: r.problem ?? 'failed' });
    if (index % 200 === 199) await new Promise((r) => setImmediate(r));
  }
  return { tried, failures };
}
