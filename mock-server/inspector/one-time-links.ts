import { randomBytes } from 'node:crypto';

/**
 * One-time sign-in codes for the inspector: `serve` prints a link with one; the page trades it once for a
 * session token. A code is random (128 bits), works once, and at most 32 unused ones are kept.
 */
export class OneTimeLinks {
  readonly #codes = new Set<string>();

  issue(): string {
    const code = randomBytes(16).toString('base64url');
    this.#codes.add(code);
    if (this.#codes.size > 32) this.#codes.delete(this.#codes.values().next().value!);
    return code;
  }

  /** True once per issued code. */
  redeem(code: unknown): boolean {
    return typeof code === 'string' && this.#codes.delete(code);
  }
}
