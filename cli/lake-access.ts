import { commitGeneration, pendingCommits, recoverLake } from '../adapters/duckdb/lake-commit';
import { withLakeLock } from '../adapters/storage/lake-lock';
import { PipelineError, UsageError } from '../lib/errors';
import type { CommandContext } from './command';

/** Seconds a command waits for the lake another command is writing; the default suits a refine of a few days. */
export const LAKE_WAIT_ENV = 'LAKE_LOCK_WAIT_SECONDS';
const DEFAULT_WAIT_SECONDS = 60;
const READ_RETRY_MS = 50;

function waitMs(ctx: CommandContext): number {
  const text = ctx.env[LAKE_WAIT_ENV]?.trim();
  if (text === undefined || text === '') return DEFAULT_WAIT_SECONDS * 1000;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`lake: $${LAKE_WAIT_ENV} must be a number of seconds, got ${JSON.stringify(text)}`);
  return Number(text) * 1000;
}

/**
 * The body of a command that writes the lake (scrape, refine, run, demo): it holds the lake
 * lock, and first completes or sweeps what a dead run left (a journaled commit, staging, a
 * temporary file), so it starts from a lake where every day is whole.
 */
export async function asLakeWriter<T>(lakeDir: string, command: string, ctx: CommandContext, body: () => Promise<T>): Promise<T> {
  return withLakeLock(lakeDir, { command, waitMs: waitMs(ctx), onWait: ctx.notice }, async () => {
    const recovered = await recoverLake(lakeDir);
    if (recovered.rolledForward + recovered.swept > 0) {
      ctx.notice(`lake: recovered ${lakeDir} after a run that died: ${recovered.rolledForward} commit(s) completed, ${recovered.swept} leftover(s) removed`);
    }
    return body();
  });
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

/**
 * Runs a read of the lake (query, report) so it never sees a day half-published: it waits
 * while a commit is in flight, and reads again when one ran meanwhile (the commit generation
 * moved). A commit left by a dead writer is completed first, as the next writer would.
 */
export async function readLake<T>(lakeDir: string, ctx: CommandContext, read: () => Promise<T>): Promise<T> {
  const bound = waitMs(ctx);
  const deadline = Date.now() + bound;
  for (;;) {
    // The generation first: a commit journals, then bumps it, then moves (lake-commit.ts).
    const before = await commitGeneration(lakeDir);
    const pending = await pendingCommits(lakeDir);
    if (pending.length === 0) {
      let result: T | undefined;
      let failure: unknown;
      try {
        result = await read();
      } catch (error) {
        failure = error;
      }
      // A commit during the read may have moved files under it: that failure, or that result, is not the lake's.
      if ((await commitGeneration(lakeDir)) === before) {
        if (failure !== undefined) throw failure;
        return result as T;
      }
    } else if (pending.every((p) => !isAlive(p.pid))) {
      await asLakeWriter(lakeDir, 'recover', ctx, async () => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new PipelineError(`lake: ${lakeDir} kept changing while being read, got ${pending.length} commit(s) in flight after ${Math.round(bound / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, READ_RETRY_MS));
  }
}
