import { waitUntilSatisfied } from '../../agent-runtime/wait-for.ts';

/**
 * Waits for a condition. `check` returns '' (or true) when satisfied, or a reason string saying what is
 * still missing; the timeout error carries the last reason. The project's waitFor, with the tests' defaults.
 */
export function eventually(check: () => string | boolean | Promise<string | boolean>, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  return waitUntilSatisfied(check, { timeoutMs: opts.timeoutMs ?? 5_000, intervalMs: opts.intervalMs ?? 10 });
}
