import { TerraformAsset, AssetType } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { bundleFunction, type FunctionBundle } from '../bundling/bundle-function';
import { assumeRolePolicy, policyDocument, type PolicyStatement } from '../iam';

export interface NodeFunctionProps {
  /** Folder under `functions/` holding `handler.ts`. */
  readonly source: string;
  /** Physical function name (from the stack's namer). */
  readonly functionName: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** What the function may do beyond writing its own logs; every statement scoped to ARNs. */
  readonly statements: readonly PolicyStatement[];
  /** Folder for the bundled zips (the asset copies them into cdktf.out). */
  readonly bundleDir: string;
}

/**
 * A Node.js Lambda from `functions/<source>/handler.ts`: bundled at synth into a deterministic
 * zip, nodejs22.x on arm64 (Graviton: cheaper per ms), its own log group with retention and its
 * own role that may write only to that log group plus the statements given.
 */
export class NodeFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  /** The role's inline policy: depend on it to call the function only once it may act. */
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  readonly bundle: FunctionBundle;
  readonly functionName: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.functionName = props.functionName;
    this.bundle = bundleFunction(props.source, props.bundleDir);
    const asset = new TerraformAsset(this, 'code', { path: this.bundle.zipPath, type: AssetType.FILE });

    // Created before the function, so Lambda never creates it without retention.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });
    this.role = new IamRole(this, 'role', {
      name: props.functionName,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
    });
    this.policy = new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: policyDocument([
        {
          Sid: 'OwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${this.logGroup.arn}:*`],
        },
        ...props.statements,
      ]),
    });
    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: this.bundle.sha256Base64,
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      environment: props.environment ? { variables: { ...props.environment } } : undefined,
      dependsOn: [this.logGroup],
    });
    this.arn = this.function.arn;
  }
}
