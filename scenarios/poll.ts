/**
 * Polls `check` until it returns '' (satisfied) or the time is up; the error carries the last reason.
 * Scenarios never sleep for a fixed time to let something happen: they poll for it.
 */
export async function pollUntil(check: () => string | Promise<string>, timeoutMs: number, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = await check();
    if (reason === '') return;
    if (Date.now() >= deadline) throw new Error(`not within ${timeoutMs} ms: ${reason}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
