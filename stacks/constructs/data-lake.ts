import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { RAW_PORTFOLIO_PREFIX, RAW_QUOTES_PREFIX, RAW_ZONE, REFINED_ZONE } from '../../lib/lake/layout';
import { policyDocument } from '../iam';

/**
 * The lake's prefixes: zones, and inside them one prefix per dataset. IAM and notifications are
 * scoped to datasets, never to a whole zone.
 */
export const LAKE_PREFIXES = {
  raw: RAW_ZONE,
  refined: REFINED_ZONE,
  rawPortfolio: RAW_PORTFOLIO_PREFIX,
  rawQuotes: RAW_QUOTES_PREFIX,
  scripts: 'scripts/',
  athenaResults: 'athena-results/',
} as const;

export interface DataLakeProps {
  readonly bucketName: string;
  /** Only outside production: lets `destroy` empty the bucket. */
  readonly forceDestroy: boolean;
  readonly athenaResultsExpirationDays: number;
  readonly noncurrentVersionExpirationDays: number;
}

/**
 * The data-lake bucket, hardened: no public access, SSE-S3 by default, TLS-only policy,
 * bucket-owner-enforced ownership (no ACLs), versioning, and lifecycle rules that keep the
 * versioned bucket from growing forever.
 */
export class DataLake extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly arn: string;
  /** Ready once the public-access block is in place; later bucket changes depend on it. */
  readonly publicAccessBlock: S3BucketPublicAccessBlock;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketPolicy(this, 'tls-only', {
      bucket: this.bucket.id,
      policy: policyDocument([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ]),
      // S3 refuses policy writes racing the public-access block on a new bucket.
      dependsOn: [this.publicAccessBlock],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-athena-results',
          status: 'Enabled',
          filter: [{ prefix: LAKE_PREFIXES.athenaResults }],
          expiration: [{ days: props.athenaResultsExpirationDays }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
        },
      ],
      // Lifecycle rules on noncurrent versions need versioning to exist first.
      dependsOn: [versioning],
    });
  }

  /** `arn:…:bucket/<prefix>*`: object ARNs under one prefix. */
  objectsArn(prefix: string): string {
    return `${this.arn}/${prefix}*`;
  }
}
