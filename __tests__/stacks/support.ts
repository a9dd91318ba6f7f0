import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import type { StackConfig } from '../../stacks/config';
import { PipelineStack, type PipelineStackOptions } from '../../stacks/pipeline-stack';

/** A dev-like config; tests override one field at a time. */
export function testConfig(overrides: Partial<StackConfig> = {}): StackConfig {
  return {
    environment: 'test',
    projectPrefix: 'b3t',
    region: 'us-east-1',
    production: false,
    indexCodes: ['IBOV', 'SMLL'],
    schedule: { time: '07:00', maxRetryAttempts: 3, maxEventAgeSeconds: 3600 },
    athenaBytesScannedCutoff: 1024 ** 3,
    sparkNotebookWorkgroup: false,
    logRetentionDays: 14,
    athenaResultsExpirationDays: 7,
    noncurrentVersionExpirationDays: 30,
    backend: { kind: 'local', path: 'terraform.tfstate' },
    ...overrides,
  };
}

/**
 * The AWS provider flags the emulator needs; the endpoint itself comes from AWS_ENDPOINT_URL.
 * The account id is still requested (moto answers STS): without it the provider builds ARNs
 * with an empty account, e.g. for the Athena workgroup's tags.
 */
export const EMULATOR_PROVIDER: StackConfig['awsProvider'] = {
  skipCredentialsValidation: true,
  skipMetadataApiCheck: 'true',
  s3UsePathStyle: true,
};

/** Synthesizes one stack into a fresh temp folder; returns the stack and its Terraform folder. */
export function synthStack(
  config: StackConfig,
  options: PipelineStackOptions = {},
): { stack: PipelineStack; stackDir: string; outDir: string; tfJson: TfJson } {
  const outDir = mkdtempSync(join(tmpdir(), 'b3-synth-'));
  const app = new App({ outdir: outDir });
  const stackId = `${config.projectPrefix}-${config.environment}`;
  const stack = new PipelineStack(app, stackId, config, { bundleDir: join(outDir, 'bundles'), ...options });
  app.synth();
  const stackDir = join(outDir, 'stacks', stackId);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tfJson = require(join(stackDir, 'cdk.tf.json')) as TfJson;
  return { stack, stackDir, outDir, tfJson };
}

export interface TfJson {
  terraform: Record<string, unknown>;
  provider: { aws: Record<string, unknown>[] };
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Every resource of one type, as synthesized. */
export function resourcesOf(tf: TfJson, type: string): Record<string, unknown>[] {
  return Object.values(tf.resource[type] ?? {});
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Matches a Terraform reference such as `${aws_s3_bucket.lake_bucket_7B773D1A.arn}/*` without
 * pinning cdktf's hashed suffix (it changes when a construct moves, which is not a behaviour change).
 */
export function ref(type: string, name: string, attribute: string, suffix = '', prefix = ''): unknown {
  return expect.stringMatching(
    new RegExp(`^${escape(prefix)}\\$\\{${escape(type)}\\.${escape(name)}(_[0-9A-F]{8})?\\.${escape(attribute)}\\}${escape(suffix)}$`),
  );
}
