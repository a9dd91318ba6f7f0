import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { requireName } from '../../lib/glue-job/job-requests';
import type { ProvisionInput } from '../../lib/glue-job/provision-event';
import { assumeRolePolicy, policyDocument, type PolicyStatement } from '../iam';
import { LAKE_PREFIXES, type DataLake } from './data-lake';
import { NodeFunction } from './node-function';

/** What the construct hands the job definition: the resources it made, as Terraform values. */
export interface GlueJobContext {
  readonly jobName: string;
  readonly roleArn: string;
  readonly bucket: string;
}

export interface GlueVisualJobProps {
  /** The data lake: the job reads `raw/`, rewrites `refined/` and keeps its script under `scripts/`. */
  readonly lake: DataLake;
  /**
   * Physical job name (from the stack's namer). Renaming is not a one-step apply: the provisioner
   * may touch only this job's ARN, so deleting the job under the old name would be refused.
   */
  readonly jobName: string;
  /** Builds the CreateJob request, e.g. `(c) => b3PortfolioRefinedJob(c)` from glue-jobs/. */
  readonly definition: (context: GlueJobContext) => CreateJobRequest;
  /** Physical names of the Glue service role and the provisioner Lambda. */
  readonly roleName: string;
  readonly provisionerFunctionName: string;
  readonly logRetentionDays: number;
  /** Folder for the bundled provisioner zip. */
  readonly bundleDir: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * A Glue Studio visual job deployed from its typed definition.
 *
 * There is deliberately no `aws_glue_job` here: Terraform's resource cannot hold
 * CodeGenConfigurationNodes (terraform-provider-aws issue 40625), so a job it manages loses its
 * visual DAG. Instead a provisioner Lambda calls CreateJob/UpdateJob/DeleteJob, driven by an
 * `aws_lambda_invocation` with lifecycle_scope CRUD whose input is the definition's JSON, so
 * `terraform plan` shows every change to the job as a JSON diff.
 */
export class GlueVisualJob extends Construct {
  readonly jobName: string;
  readonly jobArn: string;
  /** The job's service role. */
  readonly role: IamRole;
  readonly provisioner: NodeFunction;
  readonly invocation: LambdaInvocation;
  /** The definition as deployed (with Terraform references for the role and bucket). */
  readonly definition: CreateJobRequest;

  constructor(scope: Construct, id: string, props: GlueVisualJobProps) {
    super(scope, id);
    const { lake, region, accountId } = props;
    this.jobName = props.jobName;
    this.jobArn = `arn:aws:glue:${region}:${accountId}:job/${props.jobName}`;

    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `Service role of the Glue job ${props.jobName}`,
      assumeRolePolicy: assumeRolePolicy('glue.amazonaws.com', accountId),
    });
    this.definition = props.definition({ jobName: props.jobName, roleArn: this.role.arn, bucket: lake.bucketName });
    if (requireName(this.definition) !== props.jobName) {
      throw new Error(`glue-visual-job: the definition names another job than ${props.jobName}, got ${this.definition.Name}`);
    }
    new IamRolePolicy(this, 'role-policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: policyDocument(glueJobStatements(lake, catalogTables(this.definition), lakePrefixesOf(this.definition, lake.bucketName), region, accountId)),
    });

    this.provisioner = new NodeFunction(this, 'provisioner', {
      source: 'glue-job-provisioner',
      functionName: props.provisionerFunctionName,
      description: `Creates, updates and deletes the Glue visual job ${props.jobName} for Terraform`,
      memoryMb: 256,
      timeoutSeconds: 60,
      logRetentionDays: props.logRetentionDays,
      bundleDir: props.bundleDir,
      statements: [
        // Exactly the calls the provisioner makes (GetTags: the delete's ownership check; no GetJob).
        {
          Sid: 'ManageThisJob',
          Effect: 'Allow',
          Action: ['glue:CreateJob', 'glue:UpdateJob', 'glue:DeleteJob', 'glue:GetTags', 'glue:TagResource'],
          Resource: [this.jobArn],
        },
        {
          Sid: 'PassTheJobRoleToGlueOnly',
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: [this.role.arn],
          Condition: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } },
        },
      ],
    });

    const input = JSON.stringify({ job: this.definition } satisfies ProvisionInput);
    assertNoTemplateSyntax(input);
    // The provisioner's permissions live in an inline policy the function does not reference:
    // without this edge Terraform could invoke it before the policy exists, and on destroy delete
    // the policy before the invocation's DeleteJob runs.
    // sha256() takes an expression: hashing a local gives the hash of the resolved JSON (role
    // ARN and bucket included), which a hash computed here over unresolved tokens would not.
    const inputLocal = new TerraformLocal(this, 'job-input', input);
    this.invocation = new LambdaInvocation(this, 'provision', {
      functionName: this.provisioner.function.functionName,
      input,
      lifecycleScope: 'CRUD',
      // Re-invokes when the resolved definition changes. Triggers force replacement; replaced
      // create-before-destroy, the new definition is written into the job first and the old
      // invocation's delete then finds the job tagged with a newer definition and keeps it (and
      // its bookmark). Destroy-then-create would delete the job and its bookmark on every change.
      triggers: { definition_sha256: Fn.sha256(inputLocal.asString) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [this.provisioner.policy],
    });
  }
}

/** The Data Catalog tables the DAG's targets create and update. */
function catalogTables(job: CreateJobRequest): { database: string; table: string }[] {
  const tables = new Map<string, { database: string; table: string }>();
  for (const node of Object.values(job.CodeGenConfigurationNodes ?? {})) {
    for (const target of Object.values(node)) {
      const policy = (target as { SchemaChangePolicy?: { EnableUpdateCatalog?: boolean; Database?: string; Table?: string } })
        ?.SchemaChangePolicy;
      if (policy?.EnableUpdateCatalog && policy.Database && policy.Table) {
        tables.set(`${policy.Database}/${policy.Table}`, { database: policy.Database, table: policy.Table });
      }
    }
  }
  return [...tables.values()];
}

/**
 * The lake prefixes the DAG reads (its sources) and rewrites (its targets), as keys of the job's
 * bucket: the role is scoped to the datasets the definition names, so a new target is granted
 * by adding it to the DAG and nowhere else.
 */
function lakePrefixesOf(job: CreateJobRequest, bucket: string): { reads: string[]; writes: string[] } {
  const key = (uri: string): string => {
    const root = `s3://${bucket}/`;
    if (!uri.startsWith(root) || uri.length === root.length || !uri.endsWith('/')) throw new Error(`glue-visual-job: a DAG path must be a folder in the lake bucket, got ${uri}`);
    return uri.slice(root.length);
  };
  const nodes = Object.values(job.CodeGenConfigurationNodes ?? {});
  const reads = nodes.flatMap((n) => n.S3ParquetSource?.Paths ?? []).map(key);
  const writes = nodes.flatMap((n) => (n.S3GlueParquetTarget?.Path ? [n.S3GlueParquetTarget.Path] : [])).map(key);
  return { reads: [...new Set(reads)].sort(), writes: [...new Set(writes)].sort() };
}

/** The job role's statements: its lake prefixes, its catalog tables, its logs and metrics. */
function glueJobStatements(
  lake: DataLake,
  tables: readonly { database: string; table: string }[],
  prefixes: { readonly reads: readonly string[]; readonly writes: readonly string[] },
  region: string,
  accountId: string,
): PolicyStatement[] {
  // The job's own datasets only: its raw input, its refined tables, its script.
  const { scripts } = LAKE_PREFIXES;
  const listable = [...prefixes.reads, ...prefixes.writes, scripts].flatMap((p) => [p.replace(/\/$/, ''), `${p}*`]);
  const catalog = `arn:aws:glue:${region}:${accountId}`;
  const databases = [...new Set(tables.map((t) => t.database))];
  const logGroup = `arn:aws:logs:${region}:${accountId}:log-group:/aws-glue/*`;
  return [
    {
      Sid: 'ListOwnPrefixes',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [lake.arn],
      Condition: { StringLike: { 's3:prefix': listable } },
    },
    { Sid: 'BucketLocation', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: [lake.arn] },
    { Sid: 'ReadRaw', Effect: 'Allow', Action: ['s3:GetObject'], Resource: prefixes.reads.map((p) => lake.objectsArn(p)) },
    // Delete: reruns purge the days they rewrite.
    {
      Sid: 'ReadWriteRefined',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: prefixes.writes.map((p) => lake.objectsArn(p)),
    },
    { Sid: 'Scripts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [lake.objectsArn(scripts)] },
    {
      Sid: 'CatalogOwnTables',
      Effect: 'Allow',
      Action: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:BatchGetPartition',
        'glue:CreatePartition',
        'glue:BatchCreatePartition',
        'glue:UpdatePartition',
      ],
      Resource: [
        `${catalog}:catalog`,
        ...databases.map((d) => `${catalog}:database/${d}`),
        ...tables.map((t) => `${catalog}:table/${t.database}/${t.table}`),
      ],
    },
    {
      Sid: 'GlueLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [logGroup, `${logGroup}:*`],
    },
    // PutMetricData has no resource-level scoping; the namespace condition is the narrowest AWS offers.
    {
      Sid: 'GlueMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: ['*'],
      Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    },
  ];
}

/**
 * Terraform reads `${` and `%{` in any string as template syntax; in the definition (SQL, the
 * purge code) they would be evaluated, not passed to Glue. Only cdktf's own tokens may appear.
 */
function assertNoTemplateSyntax(input: string): void {
  const stray = /\$\{(?!TfToken\[)|%\{/.exec(input);
  if (stray) {
    const around = input.slice(Math.max(0, stray.index - 30), stray.index + 30);
    throw new Error(`glue-visual-job: the definition contains Terraform template syntax, got ...${around}...`);
  }
}
