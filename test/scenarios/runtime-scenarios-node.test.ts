import { describe, expect, it } from 'vitest';
import { defineRuntimeScenarioTests } from './runtime-scenario-cases.ts';

// The seed promises on the real agents-js 1.9.0 (Node) runtime: every scenarios/runtimes/ variant for node that does not
// join rooms (those run inside a network namespace: runtime-rtc-scenarios.test.ts).
describe('runtime scenarios against the mock: node', async () => {
  const n = await defineRuntimeScenarioTests('node');
  it('has scenarios for this runtime', () => expect(n).toBeGreaterThan(0));
});
