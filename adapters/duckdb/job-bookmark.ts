import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PipelineError } from '../../lib/errors';

/**
 * The local job bookmark: which source objects a job has already read, as Glue keeps for each
 * source's transformation_ctx (the node id). An object is new when it is absent or its size or
 * modification time changed (Glue's S3 bookmark compares modification times, so an overwritten
 * object is read again). Kept in the lake, written only after a run has committed.
 */
export type SourceBookmark = Readonly<Record<string, string>>;
export type JobBookmark = Readonly<Record<string, SourceBookmark>>;

const BOOKMARK_DIR = '.bookmarks';

export function bookmarkPath(lakeDir: string, jobName: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(jobName)) throw new PipelineError(`local-job: a job name for the bookmark must match [A-Za-z0-9_.-]+, got ${JSON.stringify(jobName)}`);
  return join(lakeDir, BOOKMARK_DIR, `${jobName}.json`);
}

export async function readBookmark(lakeDir: string, jobName: string): Promise<JobBookmark> {
  const file = bookmarkPath(lakeDir, jobName);
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PipelineError(`local-job: the bookmark ${file} is not JSON (delete it and run refine --all), got ${(error as Error).message}`);
  }
  const valid =
    typeof parsed === 'object' && parsed !== null &&
    Object.values(parsed).every((s) => typeof s === 'object' && s !== null && Object.values(s).every((v) => typeof v === 'string'));
  if (!valid) throw new PipelineError(`local-job: the bookmark ${file} is not {source: {key: fingerprint}} (delete it and run refine --all), got ${JSON.stringify(parsed).slice(0, 80)}`);
  return parsed as JobBookmark;
}

/** Replaces the bookmark in one rename, so a crash leaves the old one or the new one. */
export async function writeBookmark(lakeDir: string, jobName: string, bookmark: JobBookmark): Promise<void> {
  const file = bookmarkPath(lakeDir, jobName);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(bookmark, null, 1)}\n`);
  await rename(temp, file);
}

export interface SourceObject {
  /** The key in the lake (`raw/portfolio/dt=…/ibov.parquet`): the S3 key it stands for. */
  readonly key: string;
  readonly file: string;
  readonly fingerprint: string;
}

/** Every Parquet object under a folder, recursively, with its fingerprint; sorted by key. */
export async function listSourceObjects(lakeDir: string, root: string, recurse: boolean): Promise<SourceObject[]> {
  const out: SourceObject[] = [];
  const walk = async (dir: string): Promise<void> => {
    if (!existsSync(dir)) return;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const file = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (recurse) await walk(file);
      } else if (entry.name.endsWith('.parquet')) {
        out.push({ key: relative(lakeDir, file).split(sep).join('/'), file, fingerprint: await fingerprintOf(file) });
      }
    }
  };
  await walk(root);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export async function fingerprintOf(file: string): Promise<string> {
  const s = await stat(file);
  return `${s.size}-${Math.floor(s.mtimeMs)}`;
}

/** The objects a bookmark has not seen as they are now. */
export function unseenObjects(objects: readonly SourceObject[], seen: SourceBookmark | undefined): SourceObject[] {
  return objects.filter((o) => seen?.[o.key] !== o.fingerprint);
}

/**
 * Marks objects already in a lake as read by every source of the job, as they are now: how the
 * emulated run hands the scratch lake the part of Glue's bookmark that matters for its batch.
 */
export async function seedBookmark(lakeDir: string, job: { readonly Name?: string; readonly CodeGenConfigurationNodes?: Record<string, { S3ParquetSource?: unknown }> }, keys: readonly string[]): Promise<void> {
  const seen: Record<string, string> = {};
  for (const key of keys) seen[key] = await fingerprintOf(join(lakeDir, ...key.split('/')));
  const sources = Object.entries(job.CodeGenConfigurationNodes ?? {}).filter(([, n]) => n.S3ParquetSource !== undefined).map(([id]) => id);
  await writeBookmark(lakeDir, job.Name ?? '', Object.fromEntries(sources.map((id) => [id, seen])));
}
