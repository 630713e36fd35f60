import { waitUntilSatisfied } from '../agent-runtime/wait-for.ts';

/** The project's waitFor in the argument order scenarios/workers/protocol-worker.ts calls it with. */
export const pollUntil = (check: () => string | Promise<string>, timeoutMs: number, intervalMs = 20): Promise<void> => waitUntilSatisfied(check, { timeoutMs, intervalMs });
