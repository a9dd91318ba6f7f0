import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { PipelineError } from '../../lib/errors';
import { RAW_ZONE } from '../../lib/lake/layout';

/**
 * Journaled commits of staged Hive trees into the lake. A commit moves its staged tree into
 * `<lake>/.commits/<id>/new/`, writes `journal.json` (the commit point: before it nothing is
 * published, after it the commit is completed by whoever comes next), bumps the lake's commit
 * generation, then swaps each replaced partition (old folder to `old/`, new folder in) and adds
 * the other files. Every step is a rename on one file system, so a kill at any point leaves each
 * partition as it was or as it is now; `recoverLake` rolls a journaled commit forward and drops
 * an unjournaled one.
 */

/** The steps a test can stop a commit at (see FaultPoint). */
export const COMMIT_FAULT_POINTS = ['staged', 'journaled', 'displaced', 'published', 'committed'] as const;
export type CommitFaultPoint = (typeof COMMIT_FAULT_POINTS)[number];
/** Called at each step; a test's hook kills the process or throws there. */
export type FaultPoint = (point: CommitFaultPoint) => void;

const COMMITS_DIR = '.commits';
const STAGING_DIR = '.staging';
const JOURNAL = 'journal.json';
const GENERATION = 'generation';

interface Swap {
  /** The top-level partition folder, e.g. `dt=2025-04-07`. */
  readonly name: string;
  /** False for a purge with nothing staged: the partition only goes. */
  readonly hasNew: boolean;
}

/** What a commit will do, paths relative to the lake so a moved lake still recovers. */
interface Journal {
  readonly version: 1;
  readonly pid: number;
  readonly target: string;
  readonly swaps: readonly Swap[];
  /** Staged entries added beside existing ones (relative to the staged root). */
  readonly adds: readonly string[];
}

export function commitsDir(lakeDir: string): string {
  return join(resolve(lakeDir), COMMITS_DIR);
}

const exists = (p: string): boolean => existsSync(p);

async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to);
}

/** Writes a small file whole and durably: temp file, fsync, rename. */
async function writeDurably(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/** A counter bumped by every commit after its journal is written; readers compare it around a read. */
export async function commitGeneration(lakeDir: string): Promise<number> {
  try {
    return Number(await readFile(join(commitsDir(lakeDir), GENERATION), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function bumpGeneration(lakeDir: string): Promise<void> {
  await writeDurably(join(commitsDir(lakeDir), GENERATION), String((await commitGeneration(lakeDir)) + 1));
}

/** Journals of commits not yet finished (in flight, or left by a dead run). */
export async function pendingCommits(lakeDir: string): Promise<Array<{ readonly id: string; readonly pid: number }>> {
  const root = commitsDir(lakeDir);
  if (!exists(root)) return [];
  const pending = [];
  for (const e of await readdir(root, { withFileTypes: true })) {
    if (!e.isDirectory() || !exists(join(root, e.name, JOURNAL))) continue;
    const journal = JSON.parse(await readFile(join(root, e.name, JOURNAL), 'utf8')) as Journal;
    pending.push({ id: e.name, pid: journal.pid });
  }
  return pending;
}

/** Staged entries that go beside existing ones; a staged file over an existing one is refused. */
async function plannedAdds(staged: string, target: string, replace: ReadonlySet<string>, rel = ''): Promise<string[]> {
  if (!exists(staged)) return [];
  const adds: string[] = [];
  for (const entry of await readdir(staged, { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (!rel && replace.has(entry.name)) continue;
    const to = join(target, path);
    if (!exists(to)) adds.push(path);
    else if (entry.isDirectory()) adds.push(...(await plannedAdds(join(staged, entry.name), target, replace, path)));
    else throw new PipelineError(`local-lake: staged file would overwrite an existing one, got ${to}`);
  }
  return adds;
}

function paths(lakeDir: string, dir: string, journal: Journal) {
  return { target: join(lakeDir, journal.target), fresh: join(dir, 'new'), old: join(dir, 'old') };
}

/** Completes a journaled commit; each step checks what is done, so it can run again after a kill. */
async function rollForward(lakeDir: string, dir: string, journal: Journal, fault: FaultPoint): Promise<void> {
  const { target, fresh, old } = paths(lakeDir, dir, journal);
  for (const { name, hasNew } of journal.swaps) {
    const [t, n, o] = [join(target, name), join(fresh, name), join(old, name)];
    const published = hasNew && !exists(n);
    if (!published && exists(t)) {
      if (exists(o)) throw new PipelineError(`local-lake: commit journal ${dir} is inconsistent, got both ${t} and ${o}`);
      await moveInto(t, o);
      fault('displaced');
    }
    if (hasNew && exists(n)) {
      await moveInto(n, t);
      fault('published');
    }
  }
  for (const add of journal.adds) if (exists(join(fresh, add))) await moveInto(join(fresh, add), join(target, add));
}

/** Undoes what a failed commit did so far: new partitions back to `new/`, old ones back in place. */
async function rollBack(lakeDir: string, dir: string, journal: Journal): Promise<void> {
  const { target, fresh, old } = paths(lakeDir, dir, journal);
  for (const add of journal.adds) if (!exists(join(fresh, add)) && exists(join(target, add))) await moveInto(join(target, add), join(fresh, add));
  for (const { name, hasNew } of journal.swaps) {
    const [t, n, o] = [join(target, name), join(fresh, name), join(old, name)];
    if (hasNew && !exists(n) && exists(t)) await moveInto(t, n);
    if (exists(o)) await moveInto(o, t);
  }
}

export interface CommitOptions {
  /** The lake the target is in: the journal and the replaced partitions wait in its `.commits/`. */
  readonly lakeDir: string;
  readonly fault?: FaultPoint;
}

/**
 * Publishes a staged Hive tree into `target`, all or nothing per partition under any failure.
 * Top-level partitions listed in `replace` swap as whole folders (and go even when nothing new
 * was staged: that is what a purge does); every other staged file is added beside existing
 * ones, as an appending Glue sink would. An error after the commit point is rolled back here;
 * a kill is finished by `recoverLake` at the next start.
 */
export async function commitStaged(staged: string, target: string, replace: ReadonlySet<string>, opts: CommitOptions): Promise<void> {
  // Nothing staged and nothing replaced (an empty run) publishes nothing: no journal, no new generation.
  if (replace.size === 0 && (!exists(staged) || (await readdir(staged)).length === 0)) return;
  const lake = resolve(opts.lakeDir);
  const fault = opts.fault ?? (() => undefined);
  const dir = join(commitsDir(lake), randomUUID());
  await mkdir(dir, { recursive: true });
  let journal: Journal | undefined;
  try {
    const fresh = join(dir, 'new');
    if (exists(staged)) await rename(staged, fresh);
    fault('staged');
    await mkdir(target, { recursive: true });
    const swaps = [...replace].sort().map((name) => ({ name, hasNew: exists(join(fresh, name)) }));
    journal = { version: 1, pid: process.pid, target: relative(lake, target), swaps, adds: await plannedAdds(fresh, target, replace) };
    await writeDurably(join(dir, JOURNAL), JSON.stringify(journal));
    fault('journaled');
    await bumpGeneration(lake);
    await rollForward(lake, dir, journal, fault);
    fault('committed');
  } catch (error) {
    // Before the journal nothing was published; after it, undo what was moved so far.
    if (journal) {
      try {
        await rollBack(lake, dir, journal);
      } catch (undoError) {
        throw new PipelineError(`local-lake: commit failed and could not be undone, the next writing command completes it, got ${(undoError as Error).message}`, { cause: error });
      }
    }
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  await rm(dir, { recursive: true, force: true });
}

export interface LakeRecovery {
  /** Journaled commits of dead runs, completed. */
  readonly rolledForward: number;
  /** Unjournaled commits, staging folders of dead runs and temporary files of dead puts, removed. */
  readonly swept: number;
}

/**
 * Completes or drops what dead runs left in the lake. Call it only holding the lake lock: it
 * takes every commit and staging folder it finds for a dead run's.
 */
export async function recoverLake(lakeDir: string): Promise<LakeRecovery> {
  const lake = resolve(lakeDir);
  let rolledForward = 0;
  let swept = 0;
  const commits = commitsDir(lake);
  if (exists(commits)) {
    for (const e of await readdir(commits, { withFileTypes: true })) {
      const dir = join(commits, e.name);
      if (e.isDirectory() && exists(join(dir, JOURNAL))) {
        const journal = JSON.parse(await readFile(join(dir, JOURNAL), 'utf8')) as Journal;
        await bumpGeneration(lake);
        await rollForward(lake, dir, journal, () => undefined);
        rolledForward++;
      } else if (e.name === GENERATION) {
        continue;
      } else {
        swept++;
      }
      await rm(dir, { recursive: true, force: true });
    }
  }
  const staging = join(lake, STAGING_DIR);
  if (exists(staging)) {
    swept += (await readdir(staging)).length;
    await rm(staging, { recursive: true, force: true });
  }
  // LocalLakeStore.put's temporary files (`.<name>.<hex>.tmp`) of a put that was killed.
  const raw = join(lake, RAW_ZONE);
  if (exists(raw)) {
    for (const file of (await readdir(raw, { recursive: true })) as string[]) {
      if (/(^|\/)\.[^/]+\.[0-9a-f]{12}\.tmp$/.test(file)) {
        await rm(join(raw, file), { force: true });
        swept++;
      }
    }
  }
  return { rolledForward, swept };
}
