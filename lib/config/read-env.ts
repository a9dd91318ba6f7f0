import { ConfigError } from '../errors';

/**
 * Reads the named variables from `env`; throws one ConfigError listing every missing one.
 * Optional names fall back to their default. Nothing here runs at import time.
 */
export function readEnv<R extends string, O extends string>(
  env: Readonly<Record<string, string | undefined>>,
  required: readonly R[],
  optional: Readonly<Record<O, string>> = {} as Record<O, string>,
): Record<R | O, string> {
  const missing = required.filter((name) => !env[name] || env[name]!.trim() === '');
  if (missing.length > 0) {
    throw new ConfigError(`config: missing environment variable(s) ${missing.join(', ')}`);
  }
  const out: Record<string, string> = {};
  for (const name of required) out[name] = env[name]!.trim();
  for (const [name, fallback] of Object.entries(optional) as [O, string][]) {
    const value = env[name]?.trim();
    out[name] = value ? value : fallback;
  }
  return out as Record<R | O, string>;
}
