import { GetJobCommand, type CreateJobRequest, type GlueClient } from '@aws-sdk/client-glue';
import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobBucket, runGlueJobLocally } from '../duckdb/run-glue-job-locally';
import { GlueJobRunner } from '../glue/glue-job-runner';
import { LocalLakeStore } from '../storage/local-lake-store';
import { S3ObjectStore } from '../storage/s3-object-store';
import { isIsoDate } from '../../lib/calendar/iso-date';
import { PipelineError } from '../../lib/errors';
import { parseS3Uri } from '../../lib/lake/s3-uri';
import { customCodeBehaviour } from '../../lib/glue-dag/custom-code';
import { JOB_ARGS, type JobRunner } from '../../lib/ports/job-runner';
import { RAW_PREFIX } from '../../lib/raw/raw-key';
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

/**
 * A Glue job run on an AWS emulator, which records StartJobRun but executes nothing. It calls
 * the real StartJobRun (GlueJobRunner), reads the deployed definition back with GetJob, and then
 * does what Glue would for that run: stages the day's raw objects from S3 into a scratch lake,
 * runs the DAG there with the local DuckDB executor, applies the DAG's purge to S3, uploads the
 * sink's new objects, and registers the table and partitions in the Glue Data Catalog. Finishes
 * before returning the run id, so the caller can read the result at once.
 */
export class EmulatedGlueRun implements JobRunner {
  constructor(private readonly opts: EmulatedGlueRunOptions) {}

  async startRun(jobName: string, args: Readonly<Record<string, string>>): Promise<string> {
    const day = args[JOB_ARGS.portfolioDate];
    if (day === undefined || !isIsoDate(day)) throw new PipelineError(`emulated-glue: ${JOB_ARGS.portfolioDate} must be YYYY-MM-DD, got ${day}`);
    const runId = await new GlueJobRunner(this.opts.glue).startRun(jobName, args);
    const job = await this.deployedJob(jobName);
    const bucket = jobBucket(job);
    const progress = this.opts.progress ?? (() => undefined);
    const s3Lake = new S3ObjectStore(this.opts.s3, bucket);
    const scratch = await mkdtemp(join(this.opts.scratchDir ?? tmpdir(), 'emulated-glue-'));
    try {
      const scratchLake = new LocalLakeStore(scratch);
      const rawKeys = await s3Lake.list(`${RAW_PREFIX}dt=${day}/`);
      for (const key of rawKeys) await scratchLake.put(key, (await s3Lake.get(key))!);
      progress(`emulated-glue: run ${runId} staged ${rawKeys.length} raw object(s) of ${day} from s3://${bucket}/`);
      const result = await runGlueJobLocally({ job, lakeDir: scratch, date: day });

      const nodes = job.CodeGenConfigurationNodes ?? {};
      // The purge node deletes `<prefix><column>=<day>/` before the sink writes; do it in S3.
      for (const [id, node] of Object.entries(nodes)) {
        if (!node.CustomCode) continue;
        const behaviour = customCodeBehaviour(id, node.CustomCode);
        const prefix = keyPrefix(behaviour.purge.s3Prefix, bucket);
        for (const value of result.days) await this.deleteUnder(s3Lake, `${prefix}${behaviour.purge.partitionColumn}=${value}/`);
      }
      // The scratch lake held only this day's raw objects, so everything under a sink is new.
      for (const node of Object.values(nodes)) {
        const sink = node.S3GlueParquetTarget;
        if (!sink) continue;
        const prefix = keyPrefix(sink.Path ?? '', bucket);
        const written = await scratchLake.list(prefix);
        for (const key of written) await s3Lake.put(key, (await scratchLake.get(key))!, 'application/vnd.apache.parquet');
        progress(`emulated-glue: run ${runId} uploaded ${written.length} object(s) to s3://${bucket}/${prefix}`);
        const policy = sink.SchemaChangePolicy;
        if (!policy?.EnableUpdateCatalog) continue;
        const target: CatalogTableTarget = {
          database: policy.Database ?? '',
          table: policy.Table ?? '',
          location: `s3://${bucket}/${prefix}`,
          partitionKeys: (sink.PartitionKeys ?? []).map((k) => k.join('.')),
        };
        const created = await ensureCatalogTable(this.opts.glue, target);
        const partitions = partitionValues(written, prefix, target.partitionKeys);
        const added = await addCatalogPartitions(this.opts.glue, target, partitions);
        progress(
          `emulated-glue: ${target.database}.${target.table} ${created ? 'created' : 'exists'}, ${added.created} partition(s) added, ${added.existing} already there`,
        );
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    return runId;
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
