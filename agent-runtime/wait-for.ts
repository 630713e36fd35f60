import { WaitTimeoutError } from './errors.ts';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /**
   * Included in the error so a failed wait says what it waited for: a fixed text, or a function that says what is
   * still missing at the end (the check keeps it up to date).
   */
  reason?: string | (() => string);
}

/**
 * The project's one polling helper ("eventually, with a reason"): polls `check` until it returns a value other than
 * undefined/false, and returns it. A check that throws is retried; the last error joins the timeout's message.
 */
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
      const what = typeof reason === 'string' ? `waiting for ${reason}` : `still ${reason()}`;
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Waits until `check` returns '' (or true); any other string says what is still missing, and the last one is the
 * timeout's message. For checks that explain themselves.
 */
export async function waitUntilSatisfied(check: () => string | boolean | Promise<string | boolean>, options: Omit<WaitOptions, 'reason'> = {}): Promise<void> {
  let missing = 'not checked yet';
  await waitFor(
    async () => {
      const r = await check();
      if (r === '' || r === true) return true;
      missing = r === false ? 'the check returned false' : r;
      return false;
    },
    { ...options, reason: () => missing },
  );
}

/**
 * A negative, shown by waiting (the scenario engine's `for:`): `check` must keep holding for `ms`; the first time it
 * does not, this fails with `reason`. For "this must not happen", where no event says it is now too late.
 */
export async function holdsFor(check: () => boolean | Promise<boolean>, ms: number, reason: string): Promise<void> {
  const until = Date.now() + ms;
  do {
    if (!(await check())) throw new WaitTimeoutError(`did not hold for ${ms} ms: ${reason}`);
    await sleep(Math.min(50, Math.max(0, until - Date.now())));
  } while (Date.now() < until);
  if (!(await check())) throw new WaitTimeoutError(`did not hold for ${ms} ms: ${reason}`);
}

/** A fixed pause, for pacing load or a scenario's `wait:` step; never to let something happen (poll for it). */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
