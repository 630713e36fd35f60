import { describe, expect, it } from 'vitest';
import { defineScenario, parseScenario } from '../../scenarios/load.ts';
import { scenarioError } from '../support/scenario-errors.ts';

const head = 'name: x\ndescription: shows x\nreproduces: nowhere\n';

const errorOf = scenarioError;

describe('malformed scenario files get file:line: field: what is wrong', () => {
  it('names a misspelt field, its line, and the likely intended name', () => {
    const e = errorOf(`${head}steps:\n  - worker: { id: w1, jobtype: JT_ROOM }\n`);
    expect(e.code).toBe('scenario_invalid');
    expect(e.message).toMatch(/^bad\.yaml:5: steps\[0\]\.worker\.jobtype: unknown field \(did you mean "jobType"\?\)/);
  });

  it('rejects an unknown enum value with the allowed ones', () => {
    const e = errorOf(`${head}steps:\n  - worker: { id: w1 }\n  - expect: { jobs: 1, type: JT_PARTICIPANTS }\n`);
    expect(e.message).toBe(
      'bad.yaml:6: steps[1].expect.type: must be one of JT_ROOM, JT_PUBLISHER, JT_PARTICIPANT; got string "JT_PARTICIPANTS" (did you mean "JT_PARTICIPANT"?)',
    );
  });

  it('reports a reference to a worker that was never started', () => {
    const e = errorOf(`${head}steps:\n  - worker: { id: old }\n  - kill:\n      worker: olde\n`);
    expect(e.message).toBe('bad.yaml:7: steps[1].kill.worker: no worker "olde" was started before this step; started so far: old (did you mean "old"?)');
  });

  it('a fault targets a worker or a participant, and a close fault needs one of them', () => {
    expect(errorOf(`${head}steps:\n  - fault: { type: close }\n`).message).toBe('bad.yaml:5: steps[0].fault: a close fault needs worker, or participant for a signal connection');
    expect(errorOf(`${head}steps:\n  - fault: { type: close, agentName: a, participant: user }\n`).message).toBe(
      'bad.yaml:5: steps[0].fault: a fault targets a worker (worker, agentName) or a participant (participant, room), not both',
    );
    expect(() => parseScenario(`${head}steps:\n  - fault: { type: close, participant: user, room: call }\n`, 'ok.yaml')).not.toThrow();
  });

  it('lists every issue, in line order, including missing required fields', () => {
    const e = errorOf('name: x\nsteps:\n  - room: { }\n  - wait: soon\n  - frobnicate: 1\n');
    expect(e.issues.map((i) => i.line)).toEqual([1, 1, 3, 4, 5]);
    expect(e.message).toContain('bad.yaml:1: missing required field "description"');
    expect(e.message).toContain('bad.yaml:3: steps[0].room: missing required field "name"');
    expect(e.message).toContain('bad.yaml:4: steps[1].wait: must be a number of milliseconds >= 0 (or {ms: N}); got string "soon"');
    expect(e.message).toContain('bad.yaml:5: steps[2].frobnicate: unknown step "frobnicate"');
  });

  it('explains a bad count and an expectation without a kind', () => {
    const e = errorOf(`${head}steps:\n  - worker: { id: w1 }\n  - expect: { jobs: "some" }\n  - expect: { worker: w1 }\n`);
    expect(e.message).toContain('bad.yaml:6: steps[1].expect.jobs: a count is N, ">=N", "<=N", ">N" or "<N"; got string "some"');
    expect(e.message).toContain('bad.yaml:7: steps[2].expect: needs exactly one of jobs, marks, participants, workers, rooms, dispatches');
  });

  it('turns YAML syntax errors into located messages, not stack traces', () => {
    const e = errorOf(`${head}steps:\n  - worker: { id: w1\n  - room: { name: r }\n`);
    expect(e.message).toMatch(/^bad\.yaml:\d+: YAML: /);
    expect(e.message).not.toMatch(/\n\s+at /);
  });

  it('checks timing overrides against the mock settings', () => {
    const e = errorOf(`${head}timing: { jobRequestTimeout: 500 }\nsteps:\n  - wait: 1\n`);
    expect(e.message).toContain('bad.yaml:4: timing: unknown timing "jobRequestTimeout" (did you mean "jobRequestTimeoutMs"?)');
  });

  it('applies the same schema to scenarios written in TypeScript', () => {
    expect(() => defineScenario({ name: 'ts', description: 'd', reproduces: 'r', steps: [{ kill: { worker: 'nope' } }] })).toThrow(
      /steps\[0\]\.kill\.worker: no worker "nope" was started before this step/,
    );
  });
});
