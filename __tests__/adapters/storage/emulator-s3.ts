import { S3Client } from '@aws-sdk/client-s3';

/** An S3 client on the emulator the shared jest globalSetup starts; fails loudly when it did not. */
export function emulatorS3(): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('test setup: AWS_ENDPOINT_URL is not set; the jest globalSetup must start moto_server, got undefined');
  return new S3Client({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true });
}
