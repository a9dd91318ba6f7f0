import { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { awsEndpoint, awsRegion, s3Client } from './s3-client';

export interface AwsClients {
  readonly s3: S3Client;
  readonly glue: GlueClient;
  /** The endpoint in use, or undefined for AWS itself. */
  readonly endpoint: string | undefined;
}

/** S3 and Glue clients from AWS_ENDPOINT_URL and AWS_REGION, for AWS or an emulator (see s3Client). */
export function awsClients(env: Readonly<Record<string, string | undefined>>): AwsClients {
  const endpoint = awsEndpoint(env);
  return { s3: s3Client(env), glue: new GlueClient({ endpoint, region: awsRegion(env) }), endpoint };
}
