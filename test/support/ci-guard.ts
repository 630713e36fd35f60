import { it } from 'vitest';

/**
 * What a machine that lacks something a test file needs gets instead of its tests: in CI (CI=true) a failing test,
 * never a skip, so a red CI names the missing piece; elsewhere one visible skipped test that says why.
 */
export function guardSuite(reason: string | undefined, what: string, needs: string): void {
  if (!reason) return;
  if (process.env.CI) {
    it(`${what} need ${needs}: ${reason}`, () => {
      throw new Error(`CI must be able to provide ${needs} for the ${what}: ${reason}`);
    });
  } else {
    it.skip(`${what} skipped: ${reason}`, () => undefined);
  }
}
