import { join } from 'node:path';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { REFINEMENT_JOBS } from '../glue-jobs/refinement-jobs';
import { REFINEMENT_ROUTES, type RefinedDataset } from '../lib/pipeline/refinement-routes';
import { ENV } from '../lib/config/env-names';
import { REFINED_DATABASE } from '../lib/refined/refined-contract';
import { PROJECT_ROOT } from './bundling/bundle-function';
import { assertValidConfig, scraperTimeoutSeconds, weekdayCron, type StackConfig } from './config';
import { Alerts } from './constructs/alerts';
import { Athena, loadNamedQueries } from './constructs/athena';
import { DataLake, LAKE_PREFIXES } from './constructs/data-lake';
import { GlueVisualJob } from './constructs/glue-visual-job';
import { NodeFunction } from './constructs/node-function';
import { RefinementTrigger } from './constructs/refinement-trigger';
import { ScraperSchedule } from './constructs/scraper-schedule';
import { namePrefix, namer } from './naming';

export interface PipelineStackOptions {
  /** Where bundled Lambda zips are written before cdktf copies them into the synth output. */
  readonly bundleDir?: string;
  /** Folder of Athena named queries; defaults to athena/queries. */
  readonly queriesDir?: string;
}

/**
 * The whole pipeline for one environment: lake, scraper on a schedule, S3-triggered refinement
 * starter, Athena, alerts. Wiring only: each concern is a construct in stacks/constructs.
 */
export class PipelineStack extends TerraformStack {
  readonly lake: DataLake;
  readonly scraper: NodeFunction;
  readonly trigger: NodeFunction;
  readonly athena: Athena;
  readonly alerts: Alerts;
  readonly refineJob: GlueVisualJob;
  readonly quotesJob: GlueVisualJob;

  constructor(scope: Construct, id: string, config: StackConfig, options: PipelineStackOptions = {}) {
    super(scope, id);
    assertValidConfig(config);
    const name = namer(config.projectPrefix, config.environment);
    const tags = { Project: config.projectPrefix, Environment: config.environment, ManagedBy: 'cdktf' };
    const bundleDir = options.bundleDir ?? join(PROJECT_ROOT, '.gen', 'bundles');

    if (config.backend.kind === 's3') {
      new S3Backend(this, {
        bucket: config.backend.bucket,
        key: config.backend.key,
        region: config.backend.region,
        encrypt: true,
      });
      // S3-native state locking (Terraform >= 1.10, no DynamoDB table); cdktf 0.21 predates the option.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      new LocalBackend(this, { path: config.backend.path });
    }
    new AwsProvider(this, 'aws', { ...config.awsProvider, region: config.region, defaultTags: [{ tags }] });
    const accountId = new DataAwsCallerIdentity(this, 'account', {}).accountId;

    this.lake = new DataLake(this, 'lake', {
      bucketName: name('lake'),
      forceDestroy: !config.production,
      athenaResultsExpirationDays: config.athenaResultsExpirationDays,
      noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
    });

    this.scraper = new NodeFunction(this, 'scraper', {
      source: 'scraper',
      functionName: name('scraper'),
      description: "Downloads the B3 index portfolios and their D-1 session's COTAHIST quotes into raw/ as Parquet",
      memoryMb: 256,
      timeoutSeconds: scraperTimeoutSeconds(config.indexCodes.length),
      logRetentionDays: config.logRetentionDays,
      bundleDir,
      environment: { [ENV.lakeBucket]: this.lake.bucketName, [ENV.indexCodes]: config.indexCodes.join(',') },
      statements: [
        // Its two datasets only, never the whole raw zone.
        {
          Sid: 'WriteRawOnly',
          Effect: 'Allow',
          Action: ['s3:PutObject'],
          Resource: [this.lake.objectsArn(LAKE_PREFIXES.rawPortfolio), this.lake.objectsArn(LAKE_PREFIXES.rawQuotes)],
        },
      ],
    });
    const schedule = new ScraperSchedule(this, 'scraper-schedule', {
      target: this.scraper,
      scheduleName: name('scraper-weekdays'),
      roleName: name('scraper-scheduler'),
      deadLetterQueueName: name('scraper-dlq'),
      scheduleExpression: weekdayCron(config.schedule.time),
      maxRetryAttempts: config.schedule.maxRetryAttempts,
      maxEventAgeSeconds: config.schedule.maxEventAgeSeconds,
      accountId,
    });

    // Each visual job's DAG is typed data in glue-jobs/; the construct provisions it, with its own
    // role (scoped to its DAG's datasets) and provisioner (which may touch only its job).
    const visualJob = (dataset: RefinedDataset, id: string, role: string, provisioner: string) =>
      new GlueVisualJob(this, id, {
        lake: this.lake,
        jobName: name(role),
        definition: (context) => REFINEMENT_JOBS[dataset]({ ...context, tags }),
        roleName: name(`${role}-glue`),
        provisionerFunctionName: name(provisioner),
        logRetentionDays: config.logRetentionDays,
        bundleDir,
        region: config.region,
        accountId,
      });
    this.refineJob = visualJob('portfolio', 'refine-job', 'refine', 'glue-provisioner');
    this.quotesJob = visualJob('quotes', 'quotes-job', 'refine-quotes', 'glue-quotes-provisioner');
    const refineJobs: Readonly<Record<RefinedDataset, GlueVisualJob>> = { portfolio: this.refineJob, quotes: this.quotesJob };
    const triggerFailures = new SqsQueue(this, 'trigger-failures', {
      name: name('trigger-failures'),
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    });
    this.trigger = new NodeFunction(this, 'glue-trigger', {
      source: 'glue-trigger',
      functionName: name('glue-trigger'),
      description: 'Starts the Glue refinement job of its dataset for each raw Parquet object written',
      memoryMb: 128,
      timeoutSeconds: 30,
      logRetentionDays: config.logRetentionDays,
      bundleDir,
      // The routes name each job's variable; the trigger may start these jobs and no other.
      environment: Object.fromEntries(REFINEMENT_ROUTES.map((r) => [r.jobNameEnv, refineJobs[r.dataset].jobName])),
      statements: [
        { Sid: 'StartRefineJobs', Effect: 'Allow', Action: ['glue:StartJobRun'], Resource: REFINEMENT_ROUTES.map((r) => refineJobs[r.dataset].jobArn) },
        { Sid: 'OnFailureDestination', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [triggerFailures.arn] },
      ],
    });
    new RefinementTrigger(this, 'refinement-trigger', {
      lake: this.lake,
      trigger: this.trigger,
      onFailureQueue: triggerFailures,
      accountId,
      maxRetryAttempts: 2,
    });

    this.athena = new Athena(this, 'athena', {
      lake: this.lake,
      workgroupName: name('analysts'),
      bytesScannedCutoffPerQuery: config.athenaBytesScannedCutoff,
      forceDestroy: !config.production,
      queries: loadNamedQueries(options.queriesDir ?? join(PROJECT_ROOT, 'athena', 'queries')),
      // The named queries run where the job registers the refined table.
      database: REFINED_DATABASE,
      sparkWorkgroupName: config.sparkNotebookWorkgroup ? name('notebooks') : undefined,
      region: config.region,
      accountId,
      tags,
    });

    this.alerts = new Alerts(this, 'alerts', {
      name,
      email: config.alertEmail,
      glueJobNames: [this.refineJob.jobName, this.quotesJob.jobName],
      functions: [this.scraper, this.trigger, this.refineJob.provisioner, this.quotesJob.provisioner],
      deadLetterQueues: [
        { role: 'scraper-dlq', queue: schedule.deadLetterQueue },
        { role: 'trigger-failures', queue: triggerFailures },
      ],
      alarmNamePrefix: namePrefix(config.projectPrefix, config.environment),
      region: config.region,
      accountId,
    });

    new TerraformOutput(this, 'lake_bucket', { value: this.lake.bucketName });
    new TerraformOutput(this, 'scraper_function', { value: this.scraper.function.functionName });
    new TerraformOutput(this, 'trigger_function', { value: this.trigger.function.functionName });
    new TerraformOutput(this, 'refine_job_name', { value: this.refineJob.jobName });
    new TerraformOutput(this, 'quotes_job_name', { value: this.quotesJob.jobName });
    new TerraformOutput(this, 'athena_workgroup', { value: this.athena.workgroup.name });
    new TerraformOutput(this, 'alerts_topic', { value: this.alerts.topic.arn });
  }
}
