/**
 * Waits for a condition. `check` returns '' (or true) when satisfied, or a reason string saying what is
 * still missing; the timeout error carries the last reason. No fixed sleeps: this polls.
 */
export async function eventually(check: () => string | boolean | Promise<string | boolean>, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const intervalMs = opts.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let reason: string | boolean = 'not checked yet';
  for (;;) {
    reason = await check();
    if (reason === '' || reason === true) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${reason === false ? 'check returned false' : reason}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
