import { describe, expect, it } from 'vitest';
import { defineRuntimeScenarioTests } from './runtime-scenario-cases.ts';

// The seed promises on the real livekit-agents 1.8.9 (Python) runtime: every scenarios/runtimes/ variant for python that does not
// join rooms (those run inside a network namespace: runtime-rtc-scenarios.test.ts).
describe('runtime scenarios against the mock: python', async () => {
  const n = await defineRuntimeScenarioTests('python');
  it('has scenarios for this runtime', () => expect(n).toBeGreaterThan(0));
});
