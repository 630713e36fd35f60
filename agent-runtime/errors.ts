import { LabError } from '../mock-server/core/errors.ts';

/** The worker process could not be started (missing file, missing venv, spawn failure). */
export class WorkerLaunchError extends LabError {
  constructor(message: string) {
    super('worker_launch_failed', message);
  }
}

/** The worker did not register in time, or exited before registering. */
export class WorkerNotReadyError extends LabError {
  constructor(message: string) {
    super('worker_not_ready', message);
  }
}

/** An invalid scripted-agent script. */
export class ScriptError extends LabError {
  constructor(message: string) {
    super('invalid_agent_script', message);
  }
}

/** A condition polled by `waitFor` never held. */
export class WaitTimeoutError extends LabError {
  constructor(message: string) {
    super('wait_timeout', message);
  }
}
