// `livekit-dispatch-lab/scenarios`: load, define and run scenario files outside Vitest. Everything else is internal.
export { parseScenario, loadScenarioFile, defineScenario } from './load.ts';
export { runScenarios, runOne, collectScenarioFiles, type RunOptions, type RunOneOptions, type RunSummary } from './runner.ts';
export type { TargetOptions } from './targets.ts';
export type { Scenario, Step, Expectation, WorkerSpec, JoinSpec, JobFilter } from './model.ts';
export type { ScenarioResult, ScenarioStatus } from './engine/result.ts';
export { ScenarioFileError, ScenarioStepError, ExpectationFailed, UsageError, type SchemaIssue } from './errors.ts';
export { runScenario, type RunScenarioOptions } from './engine/run-scenario.ts';
export type { LiveKitTarget } from '../targets/livekit-target.ts';
