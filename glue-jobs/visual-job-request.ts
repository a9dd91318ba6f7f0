import type { CodeGenConfigurationNode, CreateJobRequest } from '@aws-sdk/client-glue';
import { REFINED_DATABASE } from '../lib/refined/refined-contract';

/** What every refinement job of the lake is given by its deployer (the stack) or the local CLI. */
export interface VisualJobOptions {
  readonly jobName: string;
  /** The Glue service role's ARN. */
  readonly roleArn: string;
  /** The data lake bucket: the job's raw dataset in, its refined tables out, `scripts/` for the generated script. */
  readonly bucket: string;
  readonly description?: string;
  /** Minutes before Glue stops a run; a day is at most a few thousand rows, so a stuck run is a bug. */
  readonly timeoutMinutes?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Where Glue Studio writes the PySpark script it generates from the DAG. */
export function glueScriptLocation(bucket: string, jobName: string): string {
  return `s3://${bucket}/scripts/${jobName}.py`;
}

/**
 * The CreateJob request of a visual refinement job around its DAG: the same run settings for
 * every job of the lake (bookmarks, queued Standard runs, one at a time), so the rules in
 * docs/glue-job.md hold for each. Deployed by the provisioner Lambda and run locally by the
 * DuckDB executor, so this object is the single source of truth.
 */
export function visualJobRequest(
  opts: VisualJobOptions,
  job: { readonly description: string; readonly nodes: Record<string, CodeGenConfigurationNode> },
): CreateJobRequest {
  return {
    Name: opts.jobName,
    Description: opts.description ?? job.description,
    Role: opts.roleArn,
    JobMode: 'VISUAL',
    // Queue runs instead of failing them: the trigger starts one run per raw object.
    JobRunQueuingEnabled: true,
    ExecutionProperty: { MaxConcurrentRuns: 1 },
    Command: { Name: 'glueetl', ScriptLocation: glueScriptLocation(opts.bucket, opts.jobName), PythonVersion: '3' },
    GlueVersion: '5.0',
    WorkerType: 'G.1X',
    NumberOfWorkers: 2,
    // Standard, not Flex: Glue queues only Standard runs (a Flex run past MaxConcurrentRuns is
    // refused, and may wait 20 minutes for capacity); ≈ $0.005 more per billed minute. See docs/glue-job.md.
    ExecutionClass: 'STANDARD',
    Timeout: opts.timeoutMinutes ?? 30,
    MaxRetries: 0,
    DefaultArguments: {
      '--job-language': 'python',
      // Bookmarks: each run reads only the raw objects it has not seen (the new day).
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-metrics': 'true',
      '--enable-continuous-cloudwatch-log': 'true',
      '--enable-glue-datacatalog': 'true',
    },
    CodeGenConfigurationNodes: job.nodes,
    ...(opts.tags ? { Tags: { ...opts.tags } } : {}),
  };
}

/**
 * A refined table's sink: snappy Parquet under `path`, Hive-partitioned by `partitionKeys`, and
 * cataloged in the lake's database as `enableUpdateCatalog` with UPDATE_IN_DATABASE does.
 * `oneFilePerPartition` writes from one Spark partition, so each partition folder gets one file.
 */
export function catalogedParquetTarget(t: {
  readonly name: string;
  readonly input: string;
  readonly path: string;
  readonly partitionKeys: readonly string[];
  readonly table: string;
  readonly oneFilePerPartition?: boolean;
}): CodeGenConfigurationNode {
  return {
    S3GlueParquetTarget: {
      Name: t.name,
      Inputs: [t.input],
      Path: t.path,
      PartitionKeys: t.partitionKeys.map((k) => [k]),
      ...(t.oneFilePerPartition ? { NumberTargetPartitions: '1' } : {}),
      Compression: 'snappy',
      SchemaChangePolicy: { EnableUpdateCatalog: true, UpdateBehavior: 'UPDATE_IN_DATABASE', Database: REFINED_DATABASE, Table: t.table },
    },
  };
}
