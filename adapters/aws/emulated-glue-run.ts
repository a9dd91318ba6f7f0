import { GetJobCommand, type CreateJobRequest, type GlueClient } from '@aws-sdk/client-glue';
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedBookmark } from '../duckdb/job-bookmark';
import { jobBucket, runGlueJobLocally } from '../duckdb/run-glue-job-locally';
import { GlueJobRunner } from '../glue/glue-job-runner';
import { LocalLakeStore } from '../storage/local-lake-store';
import { S3ObjectStore } from '../storage/s3-object-store';
import { PipelineError } from '../../lib/errors';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { dayPartitionOf } from '../../lib/lake/layout';
import { parseS3Uri } from '../../lib/lake/s3-uri';
import { customCodeBehaviour } from '../../lib/glue-dag/custom-code';
import type { JobRunner } from '../../lib/ports/job-runner';
import { addCatalogPartitions, ensureCatalogTable, type CatalogTableTarget } from './glue-catalog-table';

export interface EmulatedGlueRunOptions {
  readonly glue: GlueClient;
  readonly s3: S3Client;
  readonly progress?: (line: string) => void;
  /** Where the per-run scratch lake is made (default: the OS temp folder). */
  readonly scratchDir?: string;
}

/** Key prefix of an `s3://bucket/prefix/` URI in the job's own bucket. */
function keyPrefix(uri: string, bucket: string): string {
  const location = parseS3Uri(uri);
  if (!location || location.bucket !== bucket) throw new PipelineError(`emulated-glue: expected a path in s3://${bucket}/, got ${uri}`);
  return location.key.endsWith('/') || location.key === '' ? location.key : `${location.key}/`;
}

/** Where the emulated run keeps each job's bookmark: Glue keeps it in the service, the emulator has none. */
export const EMULATED_BOOKMARK_PREFIX = '.glue-emulator/bookmarks/';

/**
 * A Glue job run on an AWS emulator, which records StartJobRun but executes nothing. It calls
 * the real StartJobRun (GlueJobRunner), reads the deployed definition back with GetJob, and then
 * does what Glue would for that run: finds the source objects the job bookmark has not seen
 * (by ETag, kept under EMULATED_BOOKMARK_PREFIX), stages them and the other objects of their days
 * from S3 into a scratch lake whose local bookmark already knows the seen ones, runs the DAG there
 * with the local DuckDB executor, applies the DAG's purges to S3, uploads the sinks' new objects,
 * registers each table with the columns the DAG produced and its partitions, and only then
 * advances the bookmark. Finishes before returning the run id, so the caller can read the result.
 */
export class EmulatedGlueRun implements JobRunner {
  constructor(private readonly opts: EmulatedGlueRunOptions) {}

  async startRun(jobName: string, args: Readonly<Record<string, string>>): Promise<string> {
    const runId = await new GlueJobRunner(this.opts.glue).startRun(jobName, args);
    const job = await this.deployedJob(jobName);
    const bucket = jobBucket(job);
    const nodes = job.CodeGenConfigurationNodes ?? {};
    const progress = this.opts.progress ?? (() => undefined);
    const s3Lake = new S3ObjectStore(this.opts.s3, bucket);
    const bookmarkKey = `${EMULATED_BOOKMARK_PREFIX}${jobName}.json`;
    const bookmark = await this.readBookmark(s3Lake, bookmarkKey);

    // What Glue's bookmark would hand each source, and the whole days the DAG will read.
    const unseen = new Map<string, Array<{ key: string; etag: string }>>();
    for (const [id, node] of Object.entries(nodes)) {
      if (!node.S3ParquetSource) continue;
      const objects = (await Promise.all((node.S3ParquetSource.Paths ?? []).map((p) => this.listWithEtags(bucket, keyPrefix(p, bucket))))).flat();
      unseen.set(id, objects.filter((o) => o.key.endsWith('.parquet') && bookmark[id]?.[o.key] !== o.etag));
    }
    const days = new Set([...unseen.values()].flat().map((o) => dayPartitionOf(o.key)).filter((d): d is IsoDate => d !== null));
    const dayPrefixes = Object.entries(nodes).flatMap(([id, node]) => {
      if (!node.CustomCode) return [];
      const behaviour = customCodeBehaviour(id, node.CustomCode);
      if (behaviour.kind !== 'whole-days') return [];
      const prefix = keyPrefix(behaviour.wholeDays.s3Prefix, bucket);
      return [...days].map((d) => `${prefix}${behaviour.wholeDays.partitionColumn}=${d}/`);
    });

    const scratch = await mkdtemp(join(this.opts.scratchDir ?? tmpdir(), 'emulated-glue-'));
    try {
      const scratchLake = new LocalLakeStore(scratch);
      const newKeys = new Set([...unseen.values()].flat().map((o) => o.key));
      const staged = new Set<string>(newKeys);
      for (const prefix of dayPrefixes) for (const key of await s3Lake.list(prefix)) if (key.endsWith('.parquet')) staged.add(key);
      for (const key of staged) await scratchLake.put(key, (await s3Lake.get(key))!);
      await seedBookmark(scratch, job, [...staged].filter((k) => !newKeys.has(k)));
      progress(`emulated-glue: run ${runId} found ${newKeys.size} new raw object(s)${days.size ? ` of ${[...days].sort().join(', ')}` : ''}; staged ${staged.size} from s3://${bucket}/`);
      const result = await runGlueJobLocally({ job, lakeDir: scratch });

      // Each purge node deletes `<prefix><column>=<value>/` before its sink writes; do it in S3.
      for (const { purge, values } of result.purged) {
        const prefix = keyPrefix(purge.s3Prefix, bucket);
        for (const value of values) await this.deleteUnder(s3Lake, `${prefix}${purge.partitionColumn}=${value}/`);
      }
      // The scratch lake started with no refined object, so everything under a sink is new.
      for (const sink of result.sinks) {
        const prefix = keyPrefix(sink.s3Path, bucket);
        const written = await scratchLake.list(prefix);
        for (const key of written) await s3Lake.put(key, (await scratchLake.get(key))!, 'application/vnd.apache.parquet');
        progress(`emulated-glue: run ${runId} uploaded ${written.length} object(s) to s3://${bucket}/${prefix}`);
        if (!sink.catalog || sink.rows === 0) continue;
        const target: CatalogTableTarget = {
          database: sink.catalog.database,
          table: sink.catalog.table,
          location: `s3://${bucket}/${prefix}`,
          partitionKeys: sink.partitionKeys,
          columns: sink.columns,
        };
        const table = await ensureCatalogTable(this.opts.glue, target);
        const added = await addCatalogPartitions(this.opts.glue, target, partitionValues(written, prefix, target.partitionKeys));
        progress(`emulated-glue: ${target.database}.${target.table} ${table}, ${added.created} partition(s) added, ${added.existing} already there`);
      }
      if (newKeys.size === 0) progress(`emulated-glue: run ${runId} had nothing new; nothing written`);
      // Only a run that got this far commits its bookmark, as job.commit() ends a Glue script.
      const advanced: Record<string, Record<string, string>> = {};
      for (const [id, objects] of unseen) advanced[id] = { ...(bookmark[id] ?? {}), ...Object.fromEntries(objects.map((o) => [o.key, o.etag])) };
      await s3Lake.put(bookmarkKey, new TextEncoder().encode(`${JSON.stringify(advanced)}\n`), 'application/json');
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    return runId;
  }

  private async readBookmark(lake: S3ObjectStore, key: string): Promise<Record<string, Record<string, string>>> {
    const body = await lake.get(key);
    if (!body) return {};
    try {
      return JSON.parse(new TextDecoder().decode(body)) as Record<string, Record<string, string>>;
    } catch (error) {
      throw new PipelineError(`emulated-glue: the bookmark ${lake.describe(key)} is not JSON, got ${(error as Error).message}`);
    }
  }

  private async listWithEtags(bucket: string, prefix: string): Promise<Array<{ key: string; etag: string }>> {
    const out: Array<{ key: string; etag: string }> = [];
    let token: string | undefined;
    do {
      const page = await this.opts.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, etag: `${o.ETag ?? ''}-${o.LastModified?.getTime() ?? ''}` });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** The definition as deployed, not as in this checkout: the emulator run follows what Glue holds. */
  private async deployedJob(jobName: string): Promise<CreateJobRequest> {
    const job = (await this.opts.glue.send(new GetJobCommand({ JobName: jobName }))).Job;
    if (!job?.Name || !job.Role || !job.Command) throw new PipelineError(`emulated-glue: GetJob returned no usable job, got ${JSON.stringify(job)}`);
    if (!job.CodeGenConfigurationNodes) throw new PipelineError(`emulated-glue: job ${jobName} is not a visual job, got no CodeGenConfigurationNodes`);
    return { Name: job.Name, Role: job.Role, Command: job.Command, CodeGenConfigurationNodes: job.CodeGenConfigurationNodes };
  }

  private async deleteUnder(lake: S3ObjectStore, prefix: string): Promise<void> {
    const { bucket } = lake;
    const keys = await lake.list(prefix);
    // DeleteObjects takes at most 1000 keys per call.
    for (let i = 0; i < keys.length; i += 1000) {
      const out = await this.opts.s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }),
      );
      if (out.Errors?.length) {
        throw new PipelineError(`emulated-glue: could not purge s3://${bucket}/${prefix}, got ${out.Errors.map((e) => `${e.Key}: ${e.Code}`).join('; ')}`);
      }
    }
  }
}

/** Partition values of written keys (`<prefix>dt=X/ticker=Y/part.parquet` → [X, Y]), distinct, sorted. */
export function partitionValues(keys: readonly string[], prefix: string, partitionKeys: readonly string[]): string[][] {
  const seen = new Map<string, string[]>();
  for (const key of keys) {
    const parts = key.slice(prefix.length).split('/');
    const values = partitionKeys.map((k, i) => {
      const [name, ...rest] = (parts[i] ?? '').split('=');
      if (name !== k || rest.length === 0) throw new PipelineError(`emulated-glue: expected ${k}=<value> in ${key}, got ${parts[i]}`);
      return decodeURIComponent(rest.join('='));
    });
    seen.set(values.join('/'), values);
  }
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}
