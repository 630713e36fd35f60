import { describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../../scenarios/errors.ts';
import { parseScenario } from '../../scenarios/load.ts';
import { requirementsOf } from '../../scenarios/requirements.ts';
import { runOne } from '../../scenarios/runner.ts';
import { expandRuntimes } from '../../scenarios/runtime-matrix.ts';

const MATRIX = `name: m
description: d
reproduces: r
runtimes: [node, python]
steps:
  - worker: { id: w, kind: runtime, script: {} }
  - byRuntime:
      node:
        - expect: { jobs: 0, for: 1 }
        - wait: 5
      python:
        - expect: { workers: 1, jobType: JT_ROOM }
  - expect: { marks: 1, name: entry.started, distinct: pid }
`;

const issuesOf = (text: string): string[] => {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (e) {
    if (e instanceof ScenarioFileError) return e.issues.map((i) => `${i.line}: ${i.message}`);
    throw e;
  }
  return [];
};

describe('runtime matrix (runtimes: + kind: runtime + byRuntime)', () => {
  it('expands into one scenario per runtime, with each branch in place and its own lines', () => {
    const [node, python] = expandRuntimes(parseScenario(MATRIX, 'm.yaml'));
    expect(node!.name).toBe('m [node]');
    expect(node!.steps.map((s) => Object.keys(s)[0])).toEqual(['worker', 'expect', 'wait', 'expect']);
    expect(node!.steps[0]).toEqual({ worker: { id: 'w', kind: 'node', script: {} } });
    expect(node!.stepLines).toEqual([6, 9, 10, 13]);
    expect(python!.steps.map((s) => Object.keys(s)[0])).toEqual(['worker', 'expect', 'expect']);
    expect(python!.stepLines).toEqual([6, 12, 13]);
    expect(requirementsOf(python!)).toContain('python-runtime');
    expect(requirementsOf(node!)).toContain('node-runtime');
  });

  it('a scenario without a matrix expands to itself', () => {
    const s = parseScenario('name: a\ndescription: d\nreproduces: r\nsteps:\n  - wait: 1\n', 'a.yaml');
    expect(expandRuntimes(s)).toEqual([s]);
  });

  it('reports matrix mistakes with their lines', () => {
    const noMatrix = 'name: a\ndescription: d\nreproduces: r\nsteps:\n  - worker: { id: w, kind: runtime, script: {} }\n  - byRuntime: { node: [] }\n';
    expect(issuesOf(noMatrix)).toEqual([
      expect.stringMatching(/^5: kind runtime takes the runtime of the matrix/),
      expect.stringMatching(/^6: byRuntime needs a runtime matrix/),
    ]);
    const badKey = MATRIX.replace('      python:\n', '      pyhton:\n');
    expect(issuesOf(badKey)).toEqual([expect.stringMatching(/^11: "pyhton" is not in this scenario's runtimes \(node, python\) \(did you mean "python"\?\)/)]);
    const badRuntime = MATRIX.replace('runtimes: [node, python]', 'runtimes: [node, go]');
    expect(issuesOf(badRuntime).some((i) => i.startsWith('4: unknown value "go"'))).toBe(true);
  });

  it('runs a matrix file only as a chosen variant', async () => {
    const r = await runOne(parseScenario(MATRIX, 'm.yaml'));
    expect(r.status).toBe('invalid');
    expect(r.message).toMatch(/pick one with the runtime option/);
  });
});
