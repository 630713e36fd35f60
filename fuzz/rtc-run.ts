import type { Endpoint } from './agent-probe.ts';
import { fuzzLanes, pool, type FuzzRunReport, type Mismatch } from './batches.ts';
import { inputSeed, Rng } from './rng.ts';
import { rtcJoinInput, type RtcJoinInput } from './rtc-join-inputs.ts';
import { joinReactionClass, probeRtcJoin, probeRtcSignal, signalReactionClass, type RtcJoinReaction, type RtcSignalReaction } from './rtc-probe.ts';
import { NOT_COMPARED_CASES, rtcSignalInput, type RtcSignalInput } from './rtc-signal-inputs.ts';

/** `rtc-join` = /rtc, /rtc/v1 and their /validate twins before a socket exists; `rtc-signal` = frames after a join. */
export type RtcEntry = 'rtc-join' | 'rtc-signal';

export type RtcFuzzReport = FuzzRunReport<RtcEntry>;

// Distinct streams from the /agent and Twirp inputs of the same run seed.
export const rtcJoinInputAt = (runSeed: number, index: number): RtcJoinInput => rtcJoinInput(new Rng(inputSeed(runSeed ^ 0x7272, index)), roomFor(runSeed, 'j', index));
export const rtcSignalInputAt = (runSeed: number, index: number): RtcSignalInput => rtcSignalInput(new Rng(inputSeed(runSeed ^ 0x7373, index)));

/** A handful of rooms per run, shared by its inputs, so joins meet other participants and existing rooms. */
export const roomFor = (runSeed: number, kind: 'j' | 's', index: number) => `fzr${runSeed % 100_000}-${kind}${index % 8}`;
export const identityFor = (kind: 'j' | 's', index: number) => `fz-${kind}${index}`;

/** The mock alone: every join input gets 101/200 or a 4xx with livekit-server's plain-text body, never 5xx or silence. */
export function checkJoinReaction(input: RtcJoinInput, r: RtcJoinReaction): string | undefined {
  if (r.status === 0) return `no HTTP answer: ${r.body}`;
  // livekit-server's own 500 when the participant refuses over-limit metadata after validation (join-validation.ts)
  if (r.status >= 500 && !(r.status === 500 && r.body === 'connection closed by media')) return `status ${r.status} (${r.body.slice(0, 200)}): the mock failed internally`;
  const ok = input.path.endsWith('/validate') ? 200 : 101;
  if (r.status !== ok && (r.status < 400 || !r.body.trim())) return `status ${r.status} with body ${JSON.stringify(r.body.slice(0, 80))}; livekit-server answers ${ok} or a 4xx with the error text`;
  return undefined;
}

/** The mock alone: the socket is kept or closed with 1000 (rtcservice.go writes CloseNormalClosure), as the input implies. */
export function checkSignalReaction(input: RtcSignalInput, r: RtcSignalReaction): string | undefined {
  if (r.kind === 'silent') return 'no PongResp and no close: the connection hung';
  if (r.kind === 'no_join' || r.kind === 'refused') return `the join itself failed: ${signalReactionClass(r)}`;
  if (r.kind === 'closed' && r.code !== 1000) return `closed with code ${r.code}; livekit-server ends a signal socket with a 1000 close frame`;
  const got = r.kind === 'open' ? 'open' : 'closed';
  if (input.expect && input.expect !== got) return `expected the connection ${input.expect === 'open' ? 'kept open' : 'closed'}, got ${signalReactionClass(r)}`;
  return undefined;
}

export interface RtcFuzzOptions {
  seed: number;
  joinInputs?: number;
  signalInputs?: number;
  deadline?: number;
  concurrency?: number;
  batch?: number;
  onProgress?: (r: RtcFuzzReport) => void;
}

/** Seeded, bounded fuzzing of /rtc on one server, in batches with `GET /` checked after each; (runSeed, index) replays an input. */
export function fuzzRtc(ep: Endpoint, opts: RtcFuzzOptions): Promise<RtcFuzzReport> {
  return fuzzLanes<RtcEntry>(ep, {
    ...opts,
    tried: { 'rtc-join': 0, 'rtc-signal': 0 },
    lanes: [
      {
        entry: 'rtc-join',
        noun: 'join',
        max: opts.joinInputs,
        probe: (index) => {
          const input = rtcJoinInputAt(opts.seed, index);
          return { ...input, problem: async () => checkJoinReaction(input, await probeRtcJoin(ep, input, identityFor('j', index))) };
        },
      },
      {
        entry: 'rtc-signal',
        noun: 'signal',
        max: opts.signalInputs,
        probe: (index) => {
          const input = rtcSignalInputAt(opts.seed, index);
          // multi-megabyte frames compete with the other lanes for zlib (permessage-deflate) and the event loop
          const timeoutMs = input.category === 'huge' ? 30_000 : 8_000;
          return { ...input, problem: async () => checkSignalReaction(input, await probeRtcSignal(ep, input, roomFor(opts.seed, 's', index), identityFor('s', index), index, { timeoutMs })) };
        },
      },
    ],
  });
}

/**
 * The signal reaction as compared across servers: a close is a close whatever its code, since livekit-server's
 * 1000 close frame races the client's next frame (sent after the server stopped reading: the kernel answers
 * it with a reset, seen as 1006). The mock alone is held to 1000 by checkSignalReaction.
 */
const comparedClass = (r: RtcSignalReaction) => (r.kind === 'closed' && (r.code === 1000 || r.code === 1006) ? 'closed' : signalReactionClass(r));

export type RtcMismatch = Mismatch<RtcEntry>;

/**
 * The same /rtc inputs against the mock and livekit-server: join/validate status and body; the signal socket
 * kept or closed and how. Signal inputs with SDP/ICE or simulate cases are skipped (counted in `skipped`).
 */
export async function differentialRtc(mock: Endpoint, real: Endpoint, opts: { seed: number; joinInputs: number; signalInputs: number; concurrency?: number }): Promise<{ mismatches: RtcMismatch[]; tried: Record<RtcEntry, number>; skipped: number }> {
  const mismatches: RtcMismatch[] = [];
  const c = opts.concurrency ?? 4;
  let skipped = 0;
  let signalTried = 0;
  await pool(opts.joinInputs, c, () => false, async (index) => {
    const input = rtcJoinInputAt(opts.seed, index);
    const id = identityFor('j', index);
    const [m, r] = await Promise.all([probeRtcJoin(mock, input, id).catch((e: Error) => e), probeRtcJoin(real, input, id).catch((e: Error) => e)]);
    if (joinReactionClass(m) !== joinReactionClass(r)) mismatches.push({ entry: 'rtc-join', runSeed: opts.seed, index, label: input.label, mock: joinReactionClass(m), real: joinReactionClass(r) });
  });
  await pool(opts.signalInputs, c, () => false, async (index) => {
    const input = rtcSignalInputAt(opts.seed, index);
    if (input.cases.some((k) => NOT_COMPARED_CASES.has(k))) return void skipped++;
    signalTried++;
    const room = roomFor(opts.seed, 's', index);
    const id = identityFor('s', index);
    const [m, r] = await Promise.all([probeRtcSignal(mock, input, room, id, index), probeRtcSignal(real, input, room, id, index)]);
    if (comparedClass(m) !== comparedClass(r)) mismatches.push({ entry: 'rtc-signal', runSeed: opts.seed, index, label: input.label, mock: signalReactionClass(m), real: signalReactionClass(r) });
  });
  return { mismatches, tried: { 'rtc-join': opts.joinInputs, 'rtc-signal': signalTried }, skipped };
}
