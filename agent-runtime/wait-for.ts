import { WaitTimeoutError } from './errors.ts';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Included in the error so a failed wait says what it waited for. */
  reason?: string;
}

/** Polls `check` until it returns a value other than undefined/false; fails with the reason (never a fixed sleep). */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 15_000, intervalMs = 50, reason = 'condition' }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${reason}${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
