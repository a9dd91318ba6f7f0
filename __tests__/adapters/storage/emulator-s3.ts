import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/** The endpoint of the AWS emulator the shared jest globalSetup starts; fails loudly when it did not. */
export function emulatorEndpoint(): string {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('test setup: AWS_ENDPOINT_URL is not set; the jest globalSetup must start moto_server, got undefined');
  return endpoint;
}

/** An S3 client on the emulator the shared jest globalSetup starts; fails loudly when it did not. */
export function emulatorS3(): S3Client {
  return new S3Client({ endpoint: emulatorEndpoint(), region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true });
}

/** The keys under `prefix`, sorted; one page is enough for the tests' buckets (under 1,000 objects). */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}
