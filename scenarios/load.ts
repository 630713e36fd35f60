import { readFile } from 'node:fs/promises';
import { ScenarioFileError, type SchemaIssue } from './errors.ts';
import type { Scenario } from './model.ts';
import { validateScenarioValue } from './schema/validate.ts';
import { parseYamlWithLines } from './schema/yaml-source.ts';

/** Parses and validates scenario YAML; throws ScenarioFileError listing every issue with its line. */
export function parseScenario(text: string, file = '<inline>'): Scenario {
  const parsed = parseYamlWithLines(text);
  if (parsed.errors.length) throw new ScenarioFileError(file, parsed.errors);
  const issues: SchemaIssue[] = validateScenarioValue(parsed.value).map((i) => ({ ...i, line: parsed.lineOf(i.path) }));
  if (issues.length) throw new ScenarioFileError(file, issues.sort((a, b) => a.line - b.line));
  const scenario = parsed.value as Scenario;
  const branchLines: Record<string, number[]> = {};
  scenario.steps.forEach((step, i) => {
    if (!('byRuntime' in step)) return;
    for (const [rt, branch] of Object.entries(step.byRuntime)) {
      branchLines[`${i}.${rt}`] = (branch ?? []).map((_, j) => parsed.lineOf(['steps', i, 'byRuntime', rt, j]));
    }
  });
  return {
    ...scenario,
    file,
    stepLines: scenario.steps.map((_, i) => parsed.lineOf(['steps', i])),
    ...(Object.keys(branchLines).length && { branchLines }),
  };
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ScenarioFileError(file, [{ path: [], line: 0, message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})` }]);
  }
  return parseScenario(text, file);
}

/** The TypeScript API's entry: the same checks as a file, with paths instead of lines. */
export function defineScenario(scenario: Scenario): Scenario {
  const issues = validateScenarioValue(scenario).map((i) => ({ ...i, line: 0 }));
  if (issues.length) throw new ScenarioFileError(scenario.file ?? `scenario "${scenario.name ?? '?'}"`, issues);
  return scenario;
}
