import type { RuntimeName, Scenario, Step } from './model.ts';

/**
 * A scenario with `runtimes: [node, python]` is one file that runs once per runtime. Each variant is an
 * ordinary scenario: `kind: runtime` workers become that runtime's workers and each `byRuntime` step is
 * replaced by the steps of that runtime's branch (none if the branch is absent). Line numbers follow, so a
 * failure inside a branch still points at its line in the file.
 */
export function expandRuntimes(s: Scenario): Scenario[] {
  if (!s.runtimes?.length || s.runtime) return [s];
  return s.runtimes.map((rt) => runtimeVariant(s, rt));
}

/** The name a variant gets: `<name> [node]`. */
export const variantName = (name: string, rt: RuntimeName) => `${name} [${rt}]`;

export function runtimeVariant(s: Scenario, rt: RuntimeName): Scenario {
  const steps: Step[] = [];
  const lines: number[] = [];
  s.steps.forEach((step, i) => {
    if ('byRuntime' in step) {
      const branch = step.byRuntime[rt] ?? [];
      const branchLines = s.branchLines?.[`${i}.${rt}`] ?? [];
      branch.forEach((b, j) => {
        steps.push(resolveWorker(b, rt));
        lines.push(branchLines[j] ?? s.stepLines?.[i] ?? 0);
      });
      return;
    }
    steps.push(resolveWorker(step, rt));
    lines.push(s.stepLines?.[i] ?? 0);
  });
  const { runtimes: _all, branchLines: _b, ...rest } = s;
  return { ...rest, name: variantName(s.name, rt), runtime: rt, steps, stepLines: s.stepLines ? lines : undefined };
}

function resolveWorker(step: Step, rt: RuntimeName): Step {
  if (!('worker' in step) || step.worker.kind !== 'runtime') return step;
  return { worker: { ...step.worker, kind: rt } };
}

/** A matrix scenario that was not expanded cannot run: it has no single runtime. */
export const isUnexpandedMatrix = (s: Scenario) => !!s.runtimes?.length && !s.runtime;
