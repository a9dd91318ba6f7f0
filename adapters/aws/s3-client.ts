import { S3Client } from '@aws-sdk/client-s3';

type Env = Readonly<Record<string, string | undefined>>;

/** AWS_ENDPOINT_URL (an emulator), or undefined for AWS itself. */
export function awsEndpoint(env: Env): string | undefined {
  return env.AWS_ENDPOINT_URL?.trim() || undefined;
}

/** AWS_REGION, else AWS_DEFAULT_REGION; undefined lets the SDK look further itself. */
export function awsRegion(env: Env): string | undefined {
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
}

/**
 * An S3 client for AWS or, with AWS_ENDPOINT_URL, an emulator (the SDK reads credentials itself).
 * An emulator on 127.0.0.1 has no per-bucket host names, so S3 then goes path-style. Its own
 * module, apart from aws-clients.ts, so the scraper's bundle does not load the Glue client.
 */
export function s3Client(env: Env): S3Client {
  const endpoint = awsEndpoint(env);
  return new S3Client({ endpoint, region: awsRegion(env), forcePathStyle: endpoint !== undefined });
}
