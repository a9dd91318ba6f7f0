import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
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

// Publishing a staged tree is journaled, so a kill at any step recovers: see lake-commit.ts.
export { commitStaged } from './lake-commit';

export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
