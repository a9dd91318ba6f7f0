import { Logger } from '@aws-lambda-powertools/logger';
import * as path from 'node:path';
import { EmulatedGlueRun } from '../adapters/aws/emulated-glue-run';
import { awsClients } from '../adapters/aws/aws-clients';
import { localCatalogPath } from '../adapters/duckdb/local-catalog';
import { LocalJobRunner } from '../adapters/duckdb/local-job-runner';
import { LocalS3Notifications } from '../adapters/local-events/local-s3-notifications';
import { assertCurrentLakeLayout } from '../adapters/storage/lake-layout-check';
import { LocalLakeStore } from '../adapters/storage/local-lake-store';
import { S3ObjectStore } from '../adapters/storage/s3-object-store';
import { createHandler } from '../functions/glue-trigger/handler';
import { REFINED_DATABASE, REFINED_TABLE } from '../lib/refined/refined-contract';
import type { RefinedDataset } from '../lib/pipeline/refinement-routes';
import type { ObjectCreatedNotifier } from '../lib/pipeline/run-pipeline';
import type { JobRunner } from '../lib/ports/job-runner';
import type { ObjectStore } from '../lib/ports/object-store';
import { LOCAL_JOB, LOCAL_JOB_NAMES, localRefinementJobs } from './commands/refine';

/** Where a run writes and what announces the new objects: the adapters of one mode. */
export interface PipelineTarget {
  readonly store: ObjectStore;
  readonly notifier: ObjectCreatedNotifier;
  /** Where the refined table is registered, for the summary. */
  readonly catalogLabel: string;
}

/**
 * The Lambda's own handler code (functions/glue-trigger), with another job runner. Its
 * Powertools logger writes JSON to stdout, which is the CLI's result channel, so it is silent
 * here; the run's progress lines say which job runs started.
 */
function triggerHandler(jobRunner: JobRunner, jobNames: Readonly<Record<RefinedDataset, string>>) {
  return createHandler(() => ({ jobRunner, jobNames, logger: new Logger({ serviceName: 'glue-trigger', logLevel: 'SILENT' }) }));
}

/** Local mode: the lake folder stands for the bucket, the DuckDB executor for Glue (both jobs, each its own bookmark). */
export function localTarget(lakeDir: string): PipelineTarget {
  const lake = path.resolve(lakeDir);
  assertCurrentLakeLayout(lake);
  const store = new LocalLakeStore(lake);
  const jobRunner = new LocalJobRunner({ jobs: localRefinementJobs().map((j) => j.job), lakeDir: lake });
  return {
    store,
    notifier: new LocalS3Notifications({ bucket: LOCAL_JOB.bucket, store, handler: triggerHandler(jobRunner, LOCAL_JOB_NAMES) }),
    catalogLabel: `table ${REFINED_TABLE} in ${localCatalogPath(lake)}`,
  };
}

export interface AwsTargetOptions {
  readonly bucket: string;
  /** The deployed job of each dataset. */
  readonly jobNames: Readonly<Record<RefinedDataset, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly progress: (line: string) => void;
}

/**
 * AWS mode through the SDK (AWS_ENDPOINT_URL points it at an emulator): S3 PutObject, the
 * trigger handler with the real Glue runner's StartJobRun, and, since an emulator executes no
 * job, EmulatedGlueRun carrying the run out over the emulator's S3 and Data Catalog.
 */
export function awsTarget(opts: AwsTargetOptions): PipelineTarget {
  const { s3, glue, endpoint } = awsClients(opts.env);
  const store = new S3ObjectStore(s3, opts.bucket);
  const jobRunner = new EmulatedGlueRun({ glue, s3, progress: opts.progress });
  return {
    store,
    notifier: new LocalS3Notifications({ bucket: opts.bucket, store, handler: triggerHandler(jobRunner, opts.jobNames) }),
    catalogLabel: `table ${REFINED_DATABASE}.${REFINED_TABLE} in the Glue Data Catalog${endpoint ? ` at ${endpoint}` : ''}`,
  };
}
