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
export interface Lane {
  max: number;
  concurrency: number;
  run(index: number): Promise<void>;
}

/**
 * Runs the lanes side by side in batches of `batch` inputs per lane, checking `GET /` after every batch,
 * until every lane is done or `stop()` holds. `afterBatch` gets the inputs done per lane and the health problem.
 */
export async function runBatches(
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
