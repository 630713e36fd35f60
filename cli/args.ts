import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../scenarios/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Every command's flags, through node:util parseArgs in strict mode. Its errors (a TypeError with a code) become a
 * one-line UsageError, which the CLI prints with the command's usage and exit code 2, never as a stack trace.
 */
export function parseCommandArgs<const O extends Options>(argv: string[], options: O, { positionals = false } = {}): ReturnType<typeof parseArgs<{ args: string[]; options: O & { help: { type: 'boolean'; short: 'h' } }; strict: true; allowPositionals: boolean }>> {
  // --help is answered by cli/main.ts before a command's module loads; it is listed so it is never "unknown"
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  try {
    return parseArgs({ args: argv, options: all, strict: true, allowPositionals: positionals });
  } catch (e) {
    throw new UsageError(usageMessage(e, all));
  }
}

/**
 * The npm scripts' flags (`npm run bench`, `fuzz`, `soak`): the same parser; `read` turns the values into the script's
 * settings and may throw UsageError (oneOf, integerFlag). `--help` prints `usage`; a bad flag prints one line and the
 * usage, exit code 2.
 */
export function parseScriptArgs<const O extends Options, T>(name: string, usage: string, options: O, read: (values: ReturnType<typeof parseCommandArgs<O>>['values']) => T): T {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return read(parseCommandArgs(argv, options).values);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${name}: ${e.message}\n${usage}`);
    process.exit(2);
  }
}

/** A script whose flags are all integers: each `--flag N` over its default, at least `min(flag)` (default 1). */
export function parseIntegerScriptArgs<K extends string>(name: string, usage: string, defaults: Record<K, number>, min: (flag: K) => number = () => 1): Record<K, number> {
  const flags = Object.keys(defaults) as K[];
  const options = Object.fromEntries(flags.map((k) => [k, { type: 'string' }])) as Record<K, { type: 'string' }>;
  return parseScriptArgs(name, usage, options, (v) => {
    const given = v as Partial<Record<K, string>>;
    return Object.fromEntries(flags.map((k) => [k, integerFlag(k, given[k], min(k), 1_000_000_000) ?? defaults[k]])) as Record<K, number>;
  });
}

/** `--help` or `-h` before a `--`: the CLI prints the command's help instead of running it. */
export const wantsHelp = (argv: string[]): boolean => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/** A flag's value must be one of `allowed`. */
export function oneOf<const T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be ${allowed.join(' or ')}; got "${value}"`);
}

/** A flag's value must be an integer in [min, max]; undefined stays undefined. */
export function integerFlag(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be an integer from ${min} to ${max}; got "${value}"`);
  return n;
}

function usageMessage(e: unknown, options: Options): string {
  const { code, message } = e as { code?: string; message: string };
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const flag = quoted.split(' ')[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag}; options: ${Object.keys(options).map((f) => `--${f}`).join(', ')}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument') ? `${flag} takes no value` : `${flag} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}"; this command takes only options`;
    default:
      return message.split('\n')[0]!;
  }
}
