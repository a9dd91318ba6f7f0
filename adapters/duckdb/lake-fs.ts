import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PipelineError } from '../../lib/errors';
import { parseS3Uri } from '../../lib/lake/s3-uri';

/** The local lake stands in for the bucket: `s3://<bucket>/<key>` is `<lake>/<key>`. */
export function s3ToLocal(lakeDir: string, bucket: string, uri: string): string {
  const location = parseS3Uri(uri);
  if (!location) throw new PipelineError(`local-lake: expected an s3://bucket/key path, got ${uri}`);
  if (location.bucket !== bucket) throw new PipelineError(`local-lake: the lake stands for bucket ${bucket}, got ${uri}`);
  return join(lakeDir, location.key);
}

// Publishing a staged tree is journaled, so a kill at any step recovers: see lake-commit.ts.
export { commitStaged } from './lake-commit';

export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
