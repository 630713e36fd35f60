import { ConfigError } from '../core/errors.ts';

/** API key → secret, as `livekit-server --keys`. */
export type ApiKeys = ReadonlyMap<string, string>;

export const DEV_KEYS: ApiKeys = new Map([['devkey', 'secret']]);

/** Parses `key:secret[,key2:secret2]` (the CLI's `--keys`). */
export function parseApiKeys(spec: string): ApiKeys {
  const keys = new Map<string, string>();
  for (const pair of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = pair.indexOf(':');
    if (i <= 0 || i === pair.length - 1) throw new ConfigError(`--keys: expected key:secret, got "${pair}"`);
    keys.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
  }
  if (keys.size === 0) throw new ConfigError('--keys: at least one key:secret is required');
  return keys;
}
