import type { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { DEFAULT_RETRY_POLICY, scrapeBudgetMs } from '../lib/b3/retry-budget';
import { ConfigError } from '../lib/errors';

/** Where Terraform keeps state: a local file (relative to the stack's synth folder) or S3 with a lock file. */
export type StateBackendConfig =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly region: string };

export interface ScraperScheduleConfig {
  /** Local time in America/Sao_Paulo, `HH:MM`; the schedule runs Monday to Friday. */
  readonly time: string;
  readonly maxRetryAttempts: number;
  readonly maxEventAgeSeconds: number;
}

/** Everything one environment's stack needs. Nothing else in `stacks/` decides per environment. */
export interface StackConfig {
  /** `dev`, `prod`, ...: part of every physical name. */
  readonly environment: string;
  /** Short project prefix for physical names; bucket names are global, so make it unique. */
  readonly projectPrefix: string;
  readonly region: string;
  /** Production keeps data on destroy (no force_destroy) and logs longer. */
  readonly production: boolean;
  readonly indexCodes: readonly string[];
  readonly schedule: ScraperScheduleConfig;
  /** Alerts go to this address by email when set (the subscription must be confirmed by mail). */
  readonly alertEmail?: string;
  readonly athenaBytesScannedCutoff: number;
  /** Adds a Spark-enabled Athena workgroup for the notebooks under athena/notebooks. */
  readonly sparkNotebookWorkgroup: boolean;
  readonly logRetentionDays: number;
  readonly athenaResultsExpirationDays: number;
  readonly noncurrentVersionExpirationDays: number;
  readonly backend: StateBackendConfig;
  /**
   * Extra AWS provider arguments, e.g. the emulator's skip_* flags and path-style S3. The
   * endpoint itself comes from AWS_ENDPOINT_URL at plan/apply time, never from the stack.
   */
  readonly awsProvider?: Partial<Omit<AwsProviderConfig, 'region' | 'defaultTags'>>;
}

const BASE = {
  projectPrefix: 'b3pipe',
  region: 'us-east-1',
  indexCodes: ['IBOV'],
  schedule: { time: '07:00', maxRetryAttempts: 3, maxEventAgeSeconds: 3_600 },
  athenaBytesScannedCutoff: 1024 ** 3, // 1 GiB per query: the refined zone is megabytes a year
  sparkNotebookWorkgroup: false,
  athenaResultsExpirationDays: 7,
  noncurrentVersionExpirationDays: 30,
} as const;

/**
 * The environments `main.ts` synthesizes. The state bucket comes from the environment
 * (B3_STATE_BUCKET) so no account-specific name is committed; without it, state is local.
 */
export function environments(env: Readonly<Record<string, string | undefined>> = process.env): StackConfig[] {
  const stateBucket = env.B3_STATE_BUCKET?.trim();
  const backend = (name: string): StateBackendConfig =>
    stateBucket
      ? { kind: 's3', bucket: stateBucket, key: `${BASE.projectPrefix}/${name}.tfstate`, region: BASE.region }
      : { kind: 'local', path: `../../../terraform.${name}.tfstate` };
  const alertEmail = env.B3_ALERT_EMAIL?.trim() || undefined;
  return [
    { ...BASE, environment: 'dev', production: false, logRetentionDays: 14, backend: backend('dev'), alertEmail },
    { ...BASE, environment: 'prod', production: true, logRetentionDays: 90, backend: backend('prod'), alertEmail },
  ];
}

/** Lambda's largest timeout. */
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** Beyond the HTTP budget: a cold start, the parses and one S3 PutObject per index and per session. */
const SCRAPER_MARGIN_SECONDS = 20;

/**
 * The scraper Lambda's timeout: the worst case of its retry policy over the configured indexes
 * and their sessions' COTAHIST (fetched one after the other), so B3 failing everywhere still ends in a thrown error that the
 * schedule retries and dead-letters, never in a timeout that cuts the last index short.
 */
export function scraperTimeoutSeconds(indexCount: number): number {
  return Math.ceil(scrapeBudgetMs(DEFAULT_RETRY_POLICY, indexCount) / 1000) + SCRAPER_MARGIN_SECONDS;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Checks a config before any resource is built; one message lists every problem. */
export function assertValidConfig(config: StackConfig): void {
  const problems: string[] = [];
  if (!HH_MM.test(config.schedule.time)) problems.push(`schedule.time must be HH:MM, got ${JSON.stringify(config.schedule.time)}`);
  if (config.indexCodes.length === 0) problems.push('indexCodes must not be empty, got []');
  const timeout = scraperTimeoutSeconds(config.indexCodes.length);
  if (timeout > LAMBDA_MAX_TIMEOUT_SECONDS) {
    problems.push(`indexCodes need a scraper timeout of ${timeout} s, over Lambda's ${LAMBDA_MAX_TIMEOUT_SECONDS} s, got ${config.indexCodes.length} indexes`);
  }
  if (!(config.athenaBytesScannedCutoff >= 10 * 1024 ** 2)) {
    problems.push(`athenaBytesScannedCutoff must be at least 10 MiB (Athena's minimum), got ${config.athenaBytesScannedCutoff}`);
  }
  if (config.schedule.maxRetryAttempts < 0 || config.schedule.maxRetryAttempts > 185) {
    problems.push(`schedule.maxRetryAttempts must be 0..185, got ${config.schedule.maxRetryAttempts}`);
  }
  if (config.schedule.maxEventAgeSeconds < 60 || config.schedule.maxEventAgeSeconds > 86_400) {
    problems.push(`schedule.maxEventAgeSeconds must be 60..86400, got ${config.schedule.maxEventAgeSeconds}`);
  }
  if (problems.length > 0) throw new ConfigError(`stack config (${config.environment}): ${problems.join('; ')}`);
}

/** `07:30` → `cron(30 7 ? * MON-FRI *)` for EventBridge Scheduler. */
export function weekdayCron(time: string): string {
  const m = HH_MM.exec(time);
  if (!m) throw new ConfigError(`stack config: schedule time must be HH:MM, got ${JSON.stringify(time)}`);
  return `cron(${Number(m[2])} ${Number(m[1])} ? * MON-FRI *)`;
}
