import { LabError } from '../mock-server/core/errors.ts';

/** One problem in a scenario file: where it is and what is wrong. */
export interface SchemaIssue {
  /** Path inside the document, e.g. ["steps", 3, "worker", "jobType"]. */
  path: (string | number)[];
  message: string;
  /** 1-based; 0 when the location is unknown (a TypeScript-defined scenario). */
  line: number;
}

/** A scenario file that cannot be run; `message` is one `file:line: field: what is wrong` per issue. */
export class ScenarioFileError extends LabError {
  constructor(
    readonly file: string,
    readonly issues: SchemaIssue[],
  ) {
    super('scenario_invalid', issues.map((i) => formatIssue(file, i)).join('\n'));
  }
}

export function formatIssue(file: string, i: SchemaIssue): string {
  const field = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  return `${file}${i.line ? `:${i.line}` : ''}: ${field ? `${field}: ` : ''}${i.message}`;
}

/** A step could not be carried out (an API call failed, a worker did not register). */
export class ScenarioStepError extends LabError {
  constructor(message: string) {
    super('scenario_step_failed', message);
  }
}

/** An expectation was not met: what was expected, what was seen, and the relevant trace lines. */
export class ExpectationFailed extends LabError {
  constructor(
    readonly expected: string,
    readonly seen: string,
    readonly traceLines: string[],
  ) {
    super('expectation_failed', `expected ${expected}\n  seen: ${seen}${traceLines.length ? `\n  relevant trace:\n${traceLines.map((l) => `    ${l}`).join('\n')}` : ''}`);
  }
}

/** The scenario needs something this machine or target does not have (an agent runtime, the lab's control API). */
export class RequirementMissing extends LabError {
  constructor(readonly missing: string[]) {
    super('requirement_missing', `needs ${missing.join(', ')}`);
  }
}

/** A CLI or runner option that makes no sense. */
export class UsageError extends LabError {
  constructor(message: string) {
    super('usage_error', message);
  }
}
