// The agent runtime: start, script, observe and stop real LiveKit agent workers (Node, Python, any command).
export { launchNodeWorker, NODE_SCRIPTED_AGENT, NODE_RUNNER, type NodeWorkerOptions } from './node-launcher.ts';
export { launchPythonWorker, PYTHON_SCRIPTED_AGENT, venvPython, type PythonWorkerOptions } from './python-launcher.ts';
export { launchCommandWorker, livekitEnv, type CommandWorkerOptions } from './command-launcher.ts';
export { StartedWorker, type WorkerExit, type WorkerRuntime } from './started-worker.ts';
export { startMarkCollector, parseMarkBody, MARKS_PATH, type MarkCollector } from './mark-collector.ts';
export { resolveMarksEndpoint, marksToken, type MarksEndpoint, type MarksMode } from './marks-endpoint.ts';
export { waitFor, type WaitOptions } from './wait-for.ts';
export type { WorkerLogLine } from './log-capture.ts';
export { WorkerLaunchError, WorkerNotReadyError, ScriptError, WaitTimeoutError } from './errors.ts';
export * from './scripted/script-schema.ts';
