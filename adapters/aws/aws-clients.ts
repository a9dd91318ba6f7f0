import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';

export interface AwsClients {
  readonly s3: S3Client;
  readonly glue: GlueClient;
  /** The endpoint in use, or undefined for AWS itself. */
  readonly endpoint: string | undefined;
}

/**
 * S3 and Glue clients from AWS_ENDPOINT_URL and AWS_REGION (the SDK reads credentials itself) for AWS or, with AWS_ENDPOINT_URL, an emulator. An emulator on
 * 127.0.0.1 has no per-bucket host names, so S3 then goes path-style.
 */
export function awsClients(env: Readonly<Record<string, string | undefined>>): AwsClients {
  const endpoint = env.AWS_ENDPOINT_URL?.trim() || undefined;
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
  return {
    s3: new S3Client({ endpoint, region, forcePathStyle: endpoint !== undefined }),
    glue: new GlueClient({ endpoint, region }),
    endpoint,
  };
}
