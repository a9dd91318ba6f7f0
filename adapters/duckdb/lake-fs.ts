import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { PipelineError } from '../../lib/errors';
import { parseS3Uri } from '../../lib/lake/s3-uri';

/** The local lake stands in for the bucket: `s3://<bucket>/<key>` is `<lake>/<key>`. */
export function s3ToLocal(lakeDir: string, bucket: string, uri: string): string {
  const location = parseS3Uri(uri);
  if (!location) throw new PipelineError(`local-lake: expected an s3://bucket/key path, got ${uri}`);
  if (location.bucket !== bucket) throw new PipelineError(`local-lake: the lake stands for bucket ${bucket}, got ${uri}`);
  return join(lakeDir, location.key);
}

const DAY_DIR = /^dt=(\d{4}-\d{2}-\d{2})$/;

/** The `dt=YYYY-MM-DD` partitions under a folder, sorted; none when it does not exist. */
export async function dayPartitions(dir: string): Promise<IsoDate[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => DAY_DIR.exec(e.name)?.[1])
    .filter((d): d is IsoDate => d !== undefined)
    .sort();
}

/** True when a folder holds at least one Parquet file directly. */
export async function hasParquet(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  return (await readdir(dir)).some((f) => f.endsWith('.parquet'));
}

/**
 * Moves a staged Hive tree into the target. Top-level partitions listed in `replace` swap as
 * whole folders (the old one goes to `trash`, and is gone even when nothing new was staged:
 * that is what a purge does); every other staged file is added beside existing ones, as an
 * appending Glue sink would.
 */
export async function commitStaged(staged: string, target: string, replace: ReadonlySet<string>, trash: string): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const name of replace) {
    if (existsSync(join(target, name))) {
      await mkdir(trash, { recursive: true });
      await rename(join(target, name), join(trash, name));
    }
  }
  if (!existsSync(staged)) return;
  for (const entry of await readdir(staged, { withFileTypes: true })) {
    const from = join(staged, entry.name);
    const to = join(target, entry.name);
    if (replace.has(entry.name) || !existsSync(to)) await rename(from, to);
    else if (entry.isDirectory()) await commitStaged(from, to, new Set(), trash);
    else throw new PipelineError(`local-lake: staged file would overwrite an existing one, got ${to}`);
  }
}

export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
