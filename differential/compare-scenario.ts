import { loadScenarioFile } from '../scenarios/load.ts';
import { LOOPBACK_HOST, mediaUnavailableOn } from '../scenarios/participants/media-availability.ts';
import { requirementsOf } from '../scenarios/requirements.ts';
import { diffNetnsUnavailableReason, runScriptInNetns } from './netns.ts';
import { runDifferential, type DifferentialResult, type RealBackend } from './run-differential.ts';

/** A scenario whose comparison could not be made here, and why: not a difference. */
export interface NotCompared {
  name: string;
  file: string;
  notCompared: string;
}

export interface CompareOptions {
  host?: string;
  real?: RealBackend;
}

/**
 * One scenario, mock vs real, wherever the comparison can be made. A scenario that publishes needs media, and
 * media needs a non-loopback address: on 127.0.0.1 it runs inside a private network namespace when this is root,
 * otherwise it is not compared (with the reason) rather than counted as different.
 */
export async function compareScenario(file: string, opts: CompareOptions = {}): Promise<DifferentialResult | NotCompared> {
  const scenario = await loadScenarioFile(file);
  const host = opts.host ?? '127.0.0.1';
  const real = opts.real ?? 'livekit';
  if (!requirementsOf(scenario).includes('media')) return runDifferential(file, { host, real });
  if (!LOOPBACK_HOST.test(host)) {
    const why = await mediaUnavailableOn(host);
    return why ? { name: scenario.name, file, notCompared: why } : runDifferential(file, { host, real });
  }
  const why = diffNetnsUnavailableReason();
  if (why) return { name: scenario.name, file, notCompared: `${(await mediaUnavailableOn(host))!.split(';')[0]}, and no network namespace can be made here (${why}); give --host a non-loopback address` };
  return real === 'container' ? compareInContainerNetns(file) : compareInNetns(file, {});
}

function compareInNetns(file: string, env: Record<string, string>, netnsPid?: number): Promise<DifferentialResult> {
  const script = new URL('./netns-driver.ts', import.meta.url);
  return runScriptInNetns(script, { env: { LAB_DIFF_FILE: file, ...env }, netnsPid, timeoutMs: 300_000 }) as Promise<DifferentialResult>;
}

/** The container joins a holder container's namespace; the lab's side of the run enters the same one. */
async function compareInContainerNetns(file: string): Promise<DifferentialResult> {
  const { startNetnsHolder } = await import('../targets/netns-holder.ts');
  const holder = await startNetnsHolder();
  try {
    return await compareInNetns(file, { LAB_DIFF_REAL: 'container', LAB_DIFF_CONTAINER_NETWORK: `container:${holder.id}` }, holder.pid);
  } finally {
    await holder.stop();
  }
}

export const isNotCompared = (r: DifferentialResult | NotCompared): r is NotCompared => 'notCompared' in r;
