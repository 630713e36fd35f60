import type { SchemaIssue } from '../errors.ts';
import { COUNT_RE } from '../expect/count.ts';
import type { Path, StepChecks, StepKind } from '../steps/step-kind.ts';
import { STEP_KINDS, stepKind } from '../steps/registry.ts';
import { ANSWERS, RUNTIMES, TIMING_KEYS, TOP_LEVEL, type FieldSpec, type Section } from './field-specs.ts';
import { suggest } from './suggest.ts';

type Issue = Omit<SchemaIssue, 'line'>;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`);

/**
 * Checks a parsed scenario document. Returns every issue found (not just the first), each with the path
 * of the offending field; the caller turns paths into line numbers.
 */
export function validateScenarioValue(doc: unknown): Issue[] {
  const issues: Issue[] = [];
  if (!isMap(doc)) return [{ path: [], message: `a scenario is a map with name, description, reproduces and steps; got ${typeName(doc)}` }];
  checkSection(doc, TOP_LEVEL, [], issues);
  if (doc.steps !== undefined) {
    if (!Array.isArray(doc.steps)) issues.push({ path: ['steps'], message: `must be a list of steps; got ${typeName(doc.steps)}` });
    else if (doc.steps.length === 0) issues.push({ path: ['steps'], message: 'must hold at least one step' });
    else {
      const runtimes = Array.isArray(doc.runtimes) ? doc.runtimes.filter((r): r is string => typeof r === 'string') : [];
      checkSteps(doc.steps, issues, { workers: new Set(), dispatches: new Set(), runtimes }, ['steps']);
    }
  }
  return issues;
}

interface StepContext {
  workers: Set<string>;
  dispatches: Set<string>;
  /** The scenario's `runtimes:` matrix (empty: no matrix, so no `kind: runtime` and no `byRuntime`). */
  runtimes: string[];
  /** Inside a byRuntime branch: no nested branches. */
  inBranch?: boolean;
}

/** The step names messages list: `byRuntime` after worker and expect, as it always was. */
function stepNames(): string[] {
  const [first, second, ...others] = STEP_KINDS.map((k) => k.name);
  return [first!, second!, 'byRuntime', ...others];
}

function checkSteps(steps: unknown[], issues: Issue[], ctx: StepContext, base: Path): void {
  const { workers } = ctx;
  const checks: StepChecks = {
    workers,
    dispatches: ctx.dispatches,
    runtimes: ctx.runtimes,
    issue: (path, message) => void issues.push({ path, message }),
    workerRef(body, field, at) {
      const v = body[field];
      if (typeof v === 'string' && !workers.has(v)) issues.push({ path: [...at, field], message: `no worker "${v}" was started before this step${hint(v, workers)}` });
    },
  };
  const known = stepNames();
  steps.forEach((step, i) => {
    const path: Path = [...base, i];
    if (!isMap(step) || Object.keys(step).length !== 1) {
      const got = isMap(step) ? `keys ${Object.keys(step).join(', ') || '(none)'}` : typeName(step);
      issues.push({ path, message: `a step is a map with exactly one of ${known.join(', ')}; got ${got}` });
      return;
    }
    const [name, body] = Object.entries(step)[0]!;
    const at = [...path, name];
    if (name === 'byRuntime') return checkBranches(body, at, issues, ctx);
    const kind = stepKind(name);
    if (!kind) return void issues.push({ path: at, message: `unknown step "${name}"${suggestText(name, known)}; steps are ${known.join(', ')}` });
    checkStepBody(kind, body, at, checks, issues);
  });
}

/** One step's body against its kind: the fields, then the kind's own checks. */
function checkStepBody(kind: StepKind<string, unknown>, body: unknown, at: Path, checks: StepChecks, issues: Issue[]): void {
  if (kind.fields === 'empty') return;
  if (kind.fields === 'number-or-ms') {
    const v = isMap(body) ? body.ms : body;
    if (typeof v !== 'number' || v < 0) issues.push({ path: at, message: `must be a number of milliseconds >= 0 (or {ms: N}); got ${typeName(body)}` });
    return;
  }
  if (!isMap(body)) return void issues.push({ path: at, message: `must be a map; got ${typeName(body)}` });
  const fields = typeof kind.fields === 'function' ? kind.fields(body, at, checks) : kind.fields;
  if (!fields) return;
  checkSection(body, fields, at, issues);
  kind.check?.(body, at, checks);
}

/** `byRuntime: { node: [steps], python: [steps] }`: each branch is checked like top-level steps, sharing the names started so far. */
function checkBranches(body: unknown, at: Path, issues: Issue[], ctx: StepContext): void {
  if (ctx.runtimes.length === 0) return void issues.push({ path: at, message: 'byRuntime needs a runtime matrix at the top, e.g. runtimes: [node, python]' });
  if (ctx.inBranch) return void issues.push({ path: at, message: 'byRuntime cannot be nested inside another byRuntime' });
  if (!isMap(body) || Object.keys(body).length === 0) {
    return void issues.push({ path: at, message: `must be a map of runtime → list of steps (${ctx.runtimes.join(', ')}); got ${typeName(body)}` });
  }
  // Branches are alternatives: each starts from the names known so far, and later steps may use any branch's names.
  const started: Array<Set<string>> = [];
  const created: Array<Set<string>> = [];
  for (const [rt, branch] of Object.entries(body)) {
    if (!ctx.runtimes.includes(rt)) {
      issues.push({ path: [...at, rt], message: `"${rt}" is not in this scenario's runtimes (${ctx.runtimes.join(', ')})${suggestText(rt, RUNTIMES)}` });
      continue;
    }
    if (!Array.isArray(branch)) {
      issues.push({ path: [...at, rt], message: `must be a list of steps; got ${typeName(branch)}` });
      continue;
    }
    const branchCtx = { ...ctx, workers: new Set(ctx.workers), dispatches: new Set(ctx.dispatches), inBranch: true };
    checkSteps(branch, issues, branchCtx, [...at, rt]);
    started.push(branchCtx.workers);
    created.push(branchCtx.dispatches);
  }
  for (const s of started) for (const w of s) ctx.workers.add(w);
  for (const s of created) for (const d of s) ctx.dispatches.add(d);
}

function checkSection(obj: Record<string, unknown>, section: Section, at: Path, issues: Issue[]): void {
  for (const [key, spec] of Object.entries(section)) {
    if (spec.required && obj[key] === undefined) issues.push({ path: at, message: `missing required field "${key}"` });
  }
  for (const [key, value] of Object.entries(obj)) {
    const spec = section[key];
    if (!spec) {
      issues.push({ path: [...at, key], message: `unknown field${suggestText(key, Object.keys(section))}; allowed: ${Object.keys(section).join(', ')}` });
      continue;
    }
    const problem = checkField(value, spec);
    if (problem) issues.push({ path: [...at, key], message: problem });
  }
}

function checkField(v: unknown, spec: FieldSpec): string | undefined {
  switch (spec.t) {
    case 'string':
      if (typeof v !== 'string') return `must be a string; got ${typeName(v)}${typeof v === 'number' || typeof v === 'boolean' ? ' (quote it)' : ''}`;
      if (spec.nonEmpty && !v.trim()) return 'must not be empty';
      return;
    case 'number':
      if (typeof v !== 'number' || Number.isNaN(v)) return `must be a number; got ${typeName(v)}`;
      if (spec.integer && !Number.isInteger(v)) return `must be a whole number; got ${v}`;
      if (spec.min !== undefined && v < spec.min) return `must be >= ${spec.min}; got ${v}`;
      if (spec.max !== undefined && v > spec.max) return `must be <= ${spec.max}; got ${v}`;
      return;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `must be true or false; got ${typeName(v)}`;
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v) ? undefined : `must be one of ${spec.values.join(', ')}; got ${typeName(v)}${typeof v === 'string' ? suggestText(v, spec.values) : ''}`;
    case 'stringMap':
      if (!isMap(v)) return `must be a map of strings; got ${typeName(v)}`;
      for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') return `value of "${k}" must be a string; got ${typeName(x)}`;
      return;
    case 'stringList':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `must be a list of strings; got ${typeName(v)}`;
      if (spec.values) for (const x of v) if (!spec.values.includes(x)) return `unknown value "${x}"${suggestText(x, spec.values)}; known: ${spec.values.join(', ')}`;
      return;
    case 'object':
      return isMap(v) || Array.isArray(v) ? undefined : `must be a map; got ${typeName(v)}`;
    case 'count':
      if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? undefined : `a count must be a whole number >= 0; got ${v}`;
      return typeof v === 'string' && COUNT_RE.test(v.trim()) ? undefined : `a count is N, ">=N", "<=N", ">N" or "<N"; got ${typeName(v)}`;
    case 'answer':
      for (const a of Array.isArray(v) ? v : [v]) {
        const ok = (typeof a === 'string' && (ANSWERS as readonly string[]).includes(a)) || (isMap(a) && Object.keys(a).length === 1 && typeof a.late === 'number' && a.late >= 0);
        if (!ok) return `an answer is one of ${ANSWERS.join(', ')} or {late: ms} (or a list of them); got ${typeName(a)}`;
      }
      return;
    case 'agents':
      if (!Array.isArray(v)) return `must be a list of {agentName, metadata?}; got ${typeName(v)}`;
      for (const [i, a] of v.entries()) {
        if (!isMap(a) || typeof a.agentName !== 'string') return `[${i}] must be a map with a string agentName; got ${typeName(a)}`;
        const extra = Object.keys(a).filter((k) => k !== 'agentName' && k !== 'metadata');
        if (extra.length) return `[${i}] unknown field "${extra[0]}"; allowed: agentName, metadata`;
      }
      return;
    case 'timing':
      if (!isMap(v)) return `must be a map of timing overrides; got ${typeName(v)}`;
      for (const [k, x] of Object.entries(v)) {
        if (!TIMING_KEYS.includes(k)) return `unknown timing "${k}"${suggestText(k, TIMING_KEYS)}; known: ${TIMING_KEYS.join(', ')}`;
        if (typeof x !== 'number' || x < 0) return `timing "${k}" must be a number >= 0; got ${typeName(x)}`;
      }
      return;
  }
}

const suggestText = (got: string, known: readonly string[]) => {
  const s = suggest(got, known);
  return s ? ` (did you mean "${s}"?)` : '';
};
const hint = (got: string, known: Set<string>) => (known.size ? `; started so far: ${[...known].join(', ')}${suggestText(got, [...known])}` : '; no worker has been started yet');
