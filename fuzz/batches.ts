import type { Endpoint } from './agent-probe.ts';

/** A fuzz failure: which input of which run, so `npm run fuzz -- --seed S --replay entry:index` rebuilds it. */
export interface Failure<Entry extends string> {
  entry: Entry | 'server';
  runSeed: number;
  index: number;
  label: string;
  problem: string;
}

/** An input on which the mock and the real server reacted differently. */
export interface Mismatch<Entry extends string> {
  entry: Entry;
  runSeed: number;
  index: number;
  label: string;
  mock: string;
  real: string;
}

/** The command that replays one input of a run alone. */
export const replayCommand = (f: { runSeed: number; entry: string; index: number }): string =>
  `npm run fuzz -- --seed ${f.runSeed} --replay ${f.entry}:${f.index}`;

/** Runs `count` jobs with at most `concurrency` at a time; returns how many were started. */
export async function pool(count: number, concurrency: number, stop: () => boolean, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count && !stop()) await job(next++);
  });
  await Promise.all(lanes);
  return next;
}

/** Undefined while `GET /` answers 200, else what went wrong. */
export async function healthy(ep: Endpoint): Promise<string | undefined> {
  try {
    const res = await fetch(`${ep.httpUrl}/`, { signal: AbortSignal.timeout(5_000) });
    await res.text();
    return res.status === 200 ? undefined : `GET / answered ${res.status}`;
  } catch (e) {
    return `GET / failed: ${(e as Error).message}`;
  }
}

/** One stream of inputs: how many (Infinity: until stopped), how many at once, and what input `index` does. */
interface Lane {
  max: number;
  concurrency: number;
  run(index: number): Promise<void>;
}

/**
 * Runs the lanes side by side in batches of `batch` inputs per lane, checking `GET /` after every batch,
 * until every lane is done or `stop()` holds. `afterBatch` gets the inputs done per lane and the health problem.
 */
async function runBatches(
  ep: Endpoint,
  opts: { batch: number; stop: () => boolean; lanes: readonly Lane[]; afterBatch(done: number[], sick: string | undefined): void },
): Promise<void> {
  const { batch, stop, lanes } = opts;
  let done = lanes.map(() => 0);
  while (!stop() && lanes.some((lane, k) => done[k]! < lane.max)) {
    const base = done;
    const counts = lanes.map((lane, k) => Math.min(batch, lane.max - base[k]!));
    await Promise.all(lanes.map((lane, k) => pool(counts[k]!, lane.concurrency, stop, (i) => lane.run(base[k]! + i))));
    done = base.map((d, k) => d + counts[k]!);
    opts.afterBatch(done, await healthy(ep));
  }
}

/** What a fuzz run of one server reports: the inputs tried per entry point and per category, and the failures. */
export interface FuzzRunReport<Entry extends string> {
  runSeed: number;
  tried: Record<Entry, number>;
  byCategory: Record<string, number>;
  failures: Failure<Entry>[];
  elapsedMs: number;
}

/** One entry point's inputs in a fuzz run. */
export interface FuzzLane<Entry extends string> {
  entry: Entry;
  /** How the health failure counts this lane's inputs ("after 100 agent and 50 twirp inputs"); default the entry. */
  noun?: string;
  /** How many inputs; default: until the deadline. */
  max?: number;
  /** Input `index`, and the check of the server's reaction to it (undefined: as it must be; a throw: the request failed). */
  probe(index: number): { category: string; label: string; problem: () => Promise<string | undefined> };
}

/**
 * Seeded, bounded fuzzing of one server, one lane per entry point, in batches with `GET /` checked after each,
 * until the lanes are done, the deadline passes or the server is sick. Every failure carries (runSeed, index).
 * The first lane runs `concurrency` inputs at a time (default 8), the others half as many (at least 2): theirs are
 * the heavier inputs (Twirp calls that create rooms, signal sessions that join first).
 */
export async function fuzzLanes<Entry extends string>(
  ep: Endpoint,
  opts: { seed: number; tried: Record<Entry, number>; lanes: readonly FuzzLane<Entry>[]; concurrency?: number; deadline?: number; batch?: number; onProgress?: (r: FuzzRunReport<Entry>) => void },
): Promise<FuzzRunReport<Entry>> {
  const started = Date.now();
  const report: FuzzRunReport<Entry> = { runSeed: opts.seed, tried: opts.tried, byCategory: {}, failures: [], elapsedMs: 0 };
  const timeUp = () => (opts.deadline !== undefined && Date.now() >= opts.deadline) || report.failures.some((f) => f.entry === 'server');
  const fail = (f: Omit<Failure<Entry>, 'runSeed'>) => report.failures.push({ runSeed: opts.seed, ...f });
  const concurrency = opts.concurrency ?? 8;
  await runBatches(ep, {
    batch: opts.batch ?? 50,
    stop: timeUp,
    lanes: opts.lanes.map(({ entry, max = Infinity, probe }, k) => ({
      max,
      concurrency: k === 0 ? concurrency : Math.max(2, concurrency / 2),
      run: async (index: number) => {
        const input = probe(index);
        report.tried[entry]++;
        report.byCategory[`${entry}.${input.category}`] = (report.byCategory[`${entry}.${input.category}`] ?? 0) + 1;
        try {
          const problem = await input.problem();
          if (problem) fail({ entry, index, label: input.label, problem });
        } catch (e) {
          fail({ entry, index, label: input.label, problem: `request failed: ${(e as Error).message}` });
        }
      },
    })),
    afterBatch: (done, sick) => {
      if (sick) fail({ entry: 'server', index: done[0]!, label: `after ${opts.lanes.map((l, k) => `${done[k]} ${l.noun ?? l.entry}`).join(' and ')} inputs`, problem: sick });
      report.elapsedMs = Date.now() - started;
      opts.onProgress?.(report);
    },
  });
  report.elapsedMs = Date.now() - started;
  return report;
}
