import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Construct } from 'constructs';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { D1_VIEW, D1_VIEW_COLUMNS, D1_VIEW_SQL } from '../../lib/d1-session/portfolio-d1-view';
import { assumeRolePolicy, policyDocument } from '../iam';
import { AthenaView } from './athena-view';
import { LAKE_PREFIXES, type DataLake } from './data-lake';

export interface NamedQuerySource {
  /** File name without `.sql`, e.g. `latest-portfolio`. */
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/**
 * Every `*.sql` in `dir`, sorted by name. The description is the first `-- ` comment line
 * (Athena shows it in the console), else the file name.
 */
export function loadNamedQueries(dir: string): NamedQuerySource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8').trim();
      const name = basename(file, '.sql');
      const comment = /^--\s*(.+)$/m.exec(sql);
      return { name, description: (comment ? comment[1].trim() : name).slice(0, 1024), sql };
    })
    .filter((q) => q.sql !== '');
}

export interface AthenaProps {
  readonly lake: DataLake;
  readonly workgroupName: string;
  readonly bytesScannedCutoffPerQuery: number;
  readonly forceDestroy: boolean;
  readonly queries: readonly NamedQuerySource[];
  /** Glue catalog database the queries run in. */
  readonly database: string;
  /** Set to add a Spark (notebook) workgroup with this name and an execution role. */
  readonly sparkWorkgroupName?: string;
  readonly region: string;
  readonly accountId: string;
  /** Tags set on the workgroups directly: moto loses provider default_tags on workgroups. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The analysts' workgroup: settings enforced over client settings, results SSE-encrypted under
 * `athena-results/`, and a per-query scan cutoff so a runaway query costs cents, not dollars.
 */
export class Athena extends Construct {
  readonly workgroup: AthenaWorkgroup;
  readonly namedQueries: AthenaNamedQuery[];
  /** Views over the refined tables, in the queries' database: the same SQL the local catalog runs. */
  readonly views: AthenaView[];
  readonly sparkWorkgroup?: AthenaWorkgroup;

  constructor(scope: Construct, id: string, props: AthenaProps) {
    super(scope, id);
    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: props.workgroupName,
      description: 'B3 pipeline analysts: refined portfolios in the Glue catalog',
      state: 'ENABLED',
      forceDestroy: props.forceDestroy,
      tags: { ...props.tags },
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        resultConfiguration: {
          outputLocation: `s3://${props.lake.bucketName}/${LAKE_PREFIXES.athenaResults}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    this.namedQueries = props.queries.map(
      (q) =>
        new AthenaNamedQuery(this, `query-${q.name}`, {
          name: q.name,
          description: q.description,
          workgroup: this.workgroup.id,
          database: props.database,
          query: q.sql,
        }),
    );
    this.views = [
      new AthenaView(this, `view-${D1_VIEW}`, {
        database: props.database,
        name: D1_VIEW,
        description: 'Each b3_portfolio_daily row beside its pregão D-1 quote (b3_quotes_refined): close, volume, weight from the closes, index points, session return',
        sql: D1_VIEW_SQL,
        columns: D1_VIEW_COLUMNS,
      }),
    ];
    if (props.sparkWorkgroupName) this.sparkWorkgroup = this.spark(props, props.sparkWorkgroupName);
  }

  /** Athena for Apache Spark: notebooks read the catalog and the lake, write only their results. */
  private spark(props: AthenaProps, name: string): AthenaWorkgroup {
    const role = new IamRole(this, 'spark-role', {
      name,
      assumeRolePolicy: assumeRolePolicy('athena.amazonaws.com', props.accountId),
    });
    const catalog = `arn:aws:glue:${props.region}:${props.accountId}`;
    new IamRolePolicy(this, 'spark-policy', {
      name: 'notebooks',
      role: role.id,
      policy: policyDocument([
        { Sid: 'ListLake', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: [props.lake.arn] },
        { Sid: 'ReadRefined', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [props.lake.objectsArn(LAKE_PREFIXES.refined)] },
        {
          Sid: 'NotebookResults',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: [props.lake.objectsArn(`${LAKE_PREFIXES.athenaResults}spark/`)],
        },
        {
          Sid: 'ReadCatalog',
          Effect: 'Allow',
          Action: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
          Resource: [`${catalog}:catalog`, `${catalog}:database/${props.database}`, `${catalog}:table/${props.database}/*`],
        },
        {
          Sid: 'OwnSessions',
          Effect: 'Allow',
          Action: ['athena:GetWorkGroup', 'athena:GetSession', 'athena:GetSessionStatus', 'athena:GetCalculationExecution', 'athena:TerminateSession'],
          Resource: [`arn:aws:athena:${props.region}:${props.accountId}:workgroup/${name}`],
        },
      ]),
    });
    return new AthenaWorkgroup(this, 'spark-workgroup', {
      name,
      description: 'B3 pipeline notebooks (Athena for Apache Spark)',
      state: 'ENABLED',
      forceDestroy: props.forceDestroy,
      tags: { ...props.tags },
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        executionRole: role.arn,
        engineVersion: { selectedEngineVersion: 'PySpark engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.lake.bucketName}/${LAKE_PREFIXES.athenaResults}spark/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }
}
