import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ScenarioFileError } from './errors.ts';
import { runScenario } from './engine/run-scenario.ts';
import type { ScenarioResult } from './engine/result.ts';
import { loadScenarioFile } from './load.ts';
import type { RuntimeName, Scenario } from './model.ts';
import { expandRuntimes, isUnexpandedMatrix } from './runtime-matrix.ts';
import { openTarget, type TargetOptions } from './targets.ts';

export interface RunOptions extends TargetOptions {
  /** Called before and after each scenario (progress lines). */
  onStart?: (name: string, index: number, total: number) => void;
  onResult?: (result: ScenarioResult, index: number, total: number) => void;
  /** Of a `runtimes:` matrix, run only these variants (scenarios without a matrix always run). */
  runtimes?: readonly RuntimeName[];
}

export interface RunSummary {
  results: ScenarioResult[];
  against: string;
  startedAt: Date;
  durationMs: number;
}

/** Every .yaml/.yml file under the given files or folders, sorted, each once. */
export async function collectScenarioFiles(paths: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    const s = await stat(abs).catch(() => undefined);
    if (!s) throw new ScenarioFileError(p, [{ path: [], line: 0, message: 'no such file or folder' }]);
    if (s.isFile()) out.add(abs);
    else for (const f of await walk(abs)) out.add(f);
  }
  return [...out].sort();
}

async function walk(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(p)));
    else if (/\.ya?ml$/.test(entry.name)) files.push(p);
  }
  return files;
}

/**
 * Runs scenarios one after another, each on a fresh target; an invalid file is a result, not a crash.
 * A file with a `runtimes:` matrix counts as one scenario per runtime.
 */
export async function runScenarios(given: (string | Scenario)[], opts: RunOptions = {}): Promise<RunSummary> {
  const startedAt = new Date();
  const results: ScenarioResult[] = [];
  const items: (string | Scenario)[] = [];
  const wanted = (v: string | Scenario) => typeof v === 'string' || !v.runtime || !opts.runtimes || opts.runtimes.includes(v.runtime);
  for (const item of given) {
    const variants = typeof item !== 'string' ? expandRuntimes(item) : await loadScenarioFile(item).then(expandRuntimes, () => [item]);
    items.push(...variants.filter(wanted));
  }
  for (const [i, item] of items.entries()) {
    const label = typeof item === 'string' ? item : item.name;
    opts.onStart?.(label, i, items.length);
    const result = await runOne(item, opts);
    results.push(result);
    opts.onResult?.(result, i, items.length);
  }
  return { results, against: opts.against ?? 'mock', startedAt, durationMs: Date.now() - startedAt.getTime() };
}

export interface RunOneOptions extends TargetOptions {
  /** For a scenario with a `runtimes:` matrix: the variant to run. */
  runtime?: RuntimeName;
}

export async function runOne(item: string | Scenario, opts: RunOneOptions = {}): Promise<ScenarioResult> {
  const started = Date.now();
  let scenario: Scenario;
  try {
    scenario = typeof item === 'string' ? await loadScenarioFile(item) : item;
    if (opts.runtime) {
      const variant = expandRuntimes(scenario).find((v) => v.runtime === opts.runtime);
      if (!variant) throw new ScenarioFileError(scenario.file ?? scenario.name, [{ path: ['runtimes'], line: 0, message: `the scenario has no ${opts.runtime} variant (runtimes: ${scenario.runtimes?.join(', ') ?? 'none'})` }]);
      scenario = variant;
    } else if (isUnexpandedMatrix(scenario)) {
      throw new ScenarioFileError(scenario.file ?? scenario.name, [{ path: ['runtimes'], line: 0, message: `the scenario runs per runtime (${scenario.runtimes!.join(', ')}): pick one with the runtime option, or use runScenarios` }]);
    }
  } catch (e) {
    if (!(e instanceof ScenarioFileError)) throw e;
    const file = typeof item === 'string' ? item : undefined;
    return { name: file ?? 'scenario', description: '', reproduces: '', file, status: 'invalid', message: e.message, durationMs: Date.now() - started, against: opts.against ?? 'mock', events: [], workerAliases: {} };
  }
  let target;
  try {
    target = await openTarget(scenario, opts);
  } catch (e) {
    return { name: scenario.name, description: scenario.description, reproduces: scenario.reproduces, file: scenario.file, status: 'failed', message: `could not start the target: ${(e as Error).message}`, durationMs: Date.now() - started, against: opts.against ?? 'mock', events: [], workerAliases: {} };
  }
  try {
    return await runScenario(scenario, { target });
  } finally {
    await target.dispose();
  }
}
