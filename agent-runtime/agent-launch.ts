import { existsSync } from 'node:fs';
import type { JobTypeName } from '../mock-server/trace/events.ts';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { launchCommandWorker } from './command-launcher.ts';
import { WorkerLaunchError } from './errors.ts';
import { resolveMarksEndpoint, type MarksMode } from './marks-endpoint.ts';
import { encodeScript, MARKS_TOKEN_ENV, MARKS_URL_ENV, SCRIPT_ENV, type AgentScript } from './scripted/script-schema.ts';
import type { StartedWorker, WorkerRuntime } from './started-worker.ts';

/** What both runtime launchers take; each redeclares a field where the runtime gives it its own meaning or default. */
export interface RuntimeWorkerOptions {
  target: LiveKitTarget;
  /** A user's agent file. Exclusive with `script`. */
  agentFile?: string;
  /** Run the runtime's scripted agent with this script instead of a user file. */
  script?: AgentScript;
  agentName?: string;
  jobType?: JobTypeName;
  /** Idle prewarmed job processes. */
  numIdleProcesses?: number;
  loadThreshold?: number;
  env?: Record<string, string>;
  marks?: MarksMode;
  traceLogs?: boolean;
}

/** The agent to run: a user's file or a script for the runtime's scripted agent, never both. */
export function resolveAgentFile(opts: { agentFile?: string; script?: AgentScript }, scriptedAgent: string): string {
  if (!!opts.agentFile === !!opts.script) throw new WorkerLaunchError('give exactly one of agentFile or script');
  const agentFile = opts.agentFile ?? scriptedAgent;
  if (!existsSync(agentFile)) throw new WorkerLaunchError(`agent file not found: ${agentFile}`);
  return agentFile;
}

/** What a runtime launcher decides: the process to run and what its worker registers as. */
export interface AgentLaunch {
  runtime: WorkerRuntime;
  command: string;
  args: string[];
  /** The runtime's own variables; the marks endpoint (and the script, if any) are added on top. */
  env: Record<string, string>;
  agentName: string;
  jobType: JobTypeName;
}

/** The worker options that were given, so that the rest keep the runtime's own defaults. */
export const givenOptions = (options: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));

/** Starts a runtime's worker process with a marks endpoint for its agents, released with the worker (or at once if the spawn fails). */
export async function launchAgentWorker(opts: RuntimeWorkerOptions, l: AgentLaunch): Promise<StartedWorker> {
  const marks = await resolveMarksEndpoint(opts.target, opts.marks);
  const env: Record<string, string> = { ...l.env, [MARKS_URL_ENV]: marks.url, [MARKS_TOKEN_ENV]: marks.token };
  if (opts.script) env[SCRIPT_ENV] = encodeScript(opts.script);
  try {
    return launchCommandWorker({
      target: opts.target,
      command: l.command,
      args: l.args,
      env,
      agentName: l.agentName,
      jobType: l.jobType,
      runtime: l.runtime,
      traceLogs: opts.traceLogs,
      onDispose: () => marks.close(),
    });
  } catch (err) {
    await marks.close();
    throw err;
  }
}
