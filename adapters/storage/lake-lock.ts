import { mkdir, readFile, rm, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as lockfile from 'proper-lockfile';
import { PipelineError } from '../../lib/errors';

/**
 * One writer at a time per lake folder: proper-lockfile's atomic `mkdir` of `<lake>/.lake.lock`,
 * kept fresh while held, and a note beside it of who holds it. The library takes over a lock
 * whose holder stopped refreshing it after STALE_MS; a holder on this host whose process is gone
 * (SIGKILL) is taken over as soon as its lock has gone unrefreshed for GONE_MS.
 */
const LOCK_DIR = '.lake.lock';
const OWNER_FILE = '.lake.lock.owner.json';
/**
 * A new holder writes its note right after its mkdir; a lock younger than this may be a new
 * holder's still under the previous (dead) holder's note, so it is not taken over yet.
 */
const GONE_MS = 300;
const STALE_MS = 15_000;
const UPDATE_MS = 3_000;
const POLL_MS = 100;

export interface LakeLockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

export interface LakeLockOptions {
  /** Who asks, for the note a waiting writer reads, e.g. `refine`. */
  readonly command: string;
  /** How long to wait for another writer before failing. */
  readonly waitMs: number;
  /** Told once, when the lake is held by someone else and we start waiting. */
  readonly onWait?: (line: string) => void;
}

export class LakeLockError extends PipelineError {
  override readonly name = 'LakeLockError';
}

export function lakeLockPath(lakeDir: string): string {
  return join(resolve(lakeDir), LOCK_DIR);
}

async function readOwner(lake: string): Promise<LakeLockOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(lake, OWNER_FILE), 'utf8')) as LakeLockOwner;
  } catch {
    // Absent (the holder has just taken the lock) or being rewritten: unknown for now.
    return undefined;
  }
}

function isGone(owner: LakeLockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function unrefreshedFor(lake: string): Promise<number> {
  try {
    return Date.now() - (await stat(lakeLockPath(lake))).mtimeMs;
  } catch {
    return 0;
  }
}

/** Removes `dir` and its parents up to `top` while they are empty (rmdir refuses a non-empty one). */
async function removeEmptyUpTo(dir: string, top: string): Promise<void> {
  for (let d = dir; d.startsWith(top); d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
    if (d === top) return;
  }
}

const describe = (o: LakeLockOwner | undefined): string => (o ? `pid ${o.pid} on ${o.host} (${o.command}, since ${o.since})` : 'a writer that has not said who it is yet');

/** Runs `body` holding the lake's write lock; waits up to `waitMs` for another writer. */
export async function withLakeLock<T>(lakeDir: string, opts: LakeLockOptions, body: () => Promise<T>): Promise<T> {
  const lake = resolve(lakeDir);
  // The lock needs the folder; one made only for it goes again, so a refused run leaves no lake.
  let made: string | undefined;
  try {
    made = await mkdir(lake, { recursive: true });
  } catch (error) {
    throw new LakeLockError(`lake lock: cannot make the lake folder ${lake}, got ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  let compromised: Error | undefined;
  const lockOptions = {
    lockfilePath: lakeLockPath(lake),
    realpath: false,
    stale: STALE_MS,
    update: UPDATE_MS,
    retries: 0,
    onCompromised: (error: Error) => {
      compromised = error;
    },
  };
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(lake, lockOptions);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw new LakeLockError(`lake lock: cannot lock ${lake}, got ${code ?? (error as Error).message}`, { cause: error });
    }
    const owner = await readOwner(lake);
    if (owner && isGone(owner) && (await unrefreshedFor(lake)) > GONE_MS) {
      // Its holder was killed: make the lock look stale so the library's own takeover removes it.
      await utimes(lakeLockPath(lake), 0, 0).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LakeLockError(`lake lock: ${lake} is held by another writer, got ${describe(owner)} still holding it after ${Math.round(opts.waitMs / 1000)} s`);
    }
    if (!told) {
      opts.onWait?.(`lake lock: ${lake} is held by ${describe(owner)}; waiting up to ${Math.round(opts.waitMs / 1000)} s`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const owner: LakeLockOwner = { pid: process.pid, host: hostname(), command: opts.command, since: new Date().toISOString() };
  await writeFile(join(lake, OWNER_FILE), JSON.stringify(owner));
  try {
    const result = await body();
    if (compromised) throw new LakeLockError(`lake lock: the lock on ${lake} was taken over while held, got ${compromised.message}`, { cause: compromised });
    return result;
  } finally {
    // The note goes first: once the lock is released the next holder writes its own.
    await rm(join(lake, OWNER_FILE), { force: true });
    await release().catch(() => undefined);
    if (made !== undefined) await removeEmptyUpTo(lake, made);
  }
}
