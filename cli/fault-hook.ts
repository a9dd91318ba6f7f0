import { COMMIT_FAULT_POINTS, type CommitFaultPoint, type FaultPoint } from '../adapters/duckdb/lake-commit';
import { UsageError } from '../lib/errors';

/**
 * For crash tests only: `<point>:<n>` kills this process with SIGKILL the n-th time a lake
 * commit reaches `point` (one of COMMIT_FAULT_POINTS); `<point>:<n>:throw` throws ENOSPC there, as
 * a full disk would. Read here, at the CLI's edge, and nowhere else.
 */
export const FAULT_ENV = 'B3_LAKE_FAULT_AT';

export function faultHookFromEnv(env: Readonly<Record<string, string | undefined>>): FaultPoint | undefined {
  const spec = env[FAULT_ENV]?.trim();
  if (!spec) return undefined;
  const m = /^([a-z]+):([1-9]\d*)(:throw)?$/.exec(spec);
  if (!m || !(COMMIT_FAULT_POINTS as readonly string[]).includes(m[1])) {
    throw new UsageError(`fault: $${FAULT_ENV} must be <${COMMIT_FAULT_POINTS.join('|')}>:<n>[:throw], got ${JSON.stringify(spec)}`);
  }
  const [point, nth, throws] = [m[1] as CommitFaultPoint, Number(m[2]), m[3] !== undefined];
  let seen = 0;
  return (reached) => {
    if (reached !== point || ++seen !== nth) return;
    // What a full disk throws from a write, so the run fails as it would then.
    if (throws) throw Object.assign(new Error(`ENOSPC: no space left on device, injected at ${point} #${nth}`), { code: 'ENOSPC' });
    process.kill(process.pid, 'SIGKILL');
  };
}
