import { dirname } from 'node:path';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { LabError } from '../../mock-server/core/errors.ts';
import { hasLabControl } from '../lab-control.ts';
import { DEFAULT_EXPECT_TIMEOUT_MS, type Scenario } from '../model.ts';
import type { ParticipantDriver } from '../participants/participant-driver.ts';
import { RecordingParticipants } from '../participants/recording-participants.ts';
import { clientParticipants, mediaParticipants } from '../participants/media-availability.ts';
import { VirtualParticipants } from '../participants/virtual-participants.ts';
import { missingRequirements, requirementsOf } from '../requirements.ts';
import { isUnexpandedMatrix } from '../runtime-matrix.ts';
import type { ScenarioResult } from './result.ts';
import { ServerApi } from './server-api.ts';
import { StepRunner } from './step-runner.ts';

export interface RunScenarioOptions {
  target: LiveKitTarget;
  /** Overrides how participants are driven (default: virtual on the mock; elsewhere media participants when the scenario publishes and they can, else signalling-only). */
  participants?: ParticipantDriver;
  /**
   * Keep going after a failed step (its failure is still reported). The differential check uses this on
   * the real server, where mock-only facts such as drop reasons cannot be observed, so that both runs
   * perform every step and their traces can be compared.
   */
  continueOnFailure?: boolean;
}

const lastSeq = (t: LiveKitTarget) => t.trace.events().at(-1)?.seq ?? 0;

/** Runs one scenario against a started target. Never throws for scenario problems: they are in the result. */
export async function runScenario(scenario: Scenario, opts: RunScenarioOptions): Promise<ScenarioResult> {
  const { target } = opts;
  const started = Date.now();
  const fromSeq = lastSeq(target);
  const base = { name: scenario.name, description: scenario.description, reproduces: scenario.reproduces, file: scenario.file, against: target.kind };
  if (isUnexpandedMatrix(scenario)) {
    const message = `the scenario runs per runtime (${scenario.runtimes!.join(', ')}): run its variants (expandRuntimes)`;
    return { ...base, status: 'invalid', message, durationMs: 0, events: [], workerAliases: {} };
  }
  // A differential run performs every step on the real server too; what it cannot observe just fails there.
  const missing = opts.continueOnFailure ? [] : await missingRequirements(requirementsOf(scenario), target);
  if (missing.length) {
    return { ...base, status: 'needs', missing, message: `needs ${missing.join('; ')}`, durationMs: Date.now() - started, events: [], workerAliases: {} };
  }
  const lab = await hasLabControl(target);
  const needs = requirementsOf(scenario);
  // participants that listen, play a tone or send a video pattern are real WebRTC clients even on the mock (virtual ones carry no media)
  const driver =
    opts.participants ??
    (needs.includes('media-clients') ? await mediaParticipants(target) : lab ? new VirtualParticipants(target) : await clientParticipants(target, needs.includes('media')));
  // the mock records participant events itself; elsewhere the harness records every join and departure it sees
  const participants = lab ? driver : new RecordingParticipants(driver, target.trace);
  const events = (): TraceEvent[] => target.trace.events().filter((e) => e.seq > fromSeq);
  const runner = new StepRunner({
    target,
    api: new ServerApi(target, !lab),
    participants,
    baseDir: scenario.file ? dirname(scenario.file) : process.cwd(),
    expectTimeoutMs: scenario.timeout ?? DEFAULT_EXPECT_TIMEOUT_MS,
    events,
  });
  let failure: Pick<ScenarioResult, 'message' | 'failedStep'> | undefined;
  for (const [index, step] of scenario.steps.entries()) {
    try {
      await runner.run(step);
    } catch (e) {
      const kind = Object.keys(step)[0]!;
      const line = scenario.stepLines?.[index];
      const where = `${scenario.file ?? scenario.name}${line ? `:${line}` : ''}: steps[${index}] ${kind}`;
      const detail = e instanceof LabError ? e.message : `unexpected error: ${(e as Error).stack ?? String(e)}`;
      failure ??= { message: `${where}: ${detail}`, failedStep: { index, line, kind } };
      if (!opts.continueOnFailure) break;
    }
  }
  const snapshot = events();
  const workerAliases = runner.workerAliases();
  await runner.dispose();
  await participants.close();
  return { ...base, status: failure ? 'failed' : 'passed', ...failure, durationMs: Date.now() - started, events: snapshot, workerAliases };
}
