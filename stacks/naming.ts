/** What a physical name is for: one word per resource role, e.g. `lake`, `scraper`, `alerts`. */
export type NameRole = string;

const PART = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/**
 * Every physical name in the stack comes from here: `<prefix>-<environment>-<role>`, lower case
 * (S3 bucket and Glue names forbid upper case). One function, so two environments never collide
 * and a rename happens in one place.
 */
export function physicalName(prefix: string, environment: string, role: NameRole): string {
  for (const [what, value] of [['prefix', prefix], ['environment', environment], ['role', role]] as const) {
    if (!PART.test(value)) throw new Error(`naming: ${what} must be lower-case letters, digits and -, got ${JSON.stringify(value)}`);
  }
  const name = `${namePrefix(prefix, environment)}${role}`;
  // 63 is the S3 bucket limit, the tightest of the services named here (IAM roles allow 64).
  if (name.length > 63) throw new Error(`naming: name longer than 63 characters, got ${name}`);
  return name;
}

/** What every physical name of one environment starts with, e.g. `b3pipe-dev-` (alarm ARNs match on it). */
export function namePrefix(prefix: string, environment: string): string {
  return `${prefix}-${environment}-`;
}

/** The per-stack name function constructs receive, with prefix and environment already bound. */
export type Namer = (role: NameRole) => string;

export function namer(prefix: string, environment: string): Namer {
  return (role) => physicalName(prefix, environment, role);
}
