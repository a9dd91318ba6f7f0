import type { IsoDate } from '../calendar/iso-date';
import { ENV, type EnvName } from '../config/env-names';
import { RAW_PORTFOLIO_PREFIX, RAW_QUOTES_PREFIX } from '../lake/layout';
import { JOB_ARGS } from '../ports/job-runner';
import { parseRawQuotesKey } from '../raw/quotes-contract';
import { parseRawObjectKey } from '../raw/raw-key';

/** The raw datasets a refinement job is started for, one job each. */
export type RefinedDataset = 'portfolio' | 'quotes';

/**
 * Which job an object created under a raw prefix starts. Declared once: the bucket notification's
 * filters (stacks/constructs/refinement-trigger.ts), the local notifications, the trigger's key
 * parsing, its environment and its `glue:StartJobRun` grants all read this table.
 */
export interface RefinementRoute {
  readonly dataset: RefinedDataset;
  /** The id of the bucket notification's configuration for this route; S3 events carry it as `configurationId`. */
  readonly notificationId: string;
  /** The S3 notification's filter: objects under `prefix` ending in `suffix`. */
  readonly prefix: string;
  readonly suffix: string;
  /** The trigger Lambda's variable holding the job's name. */
  readonly jobNameEnv: EnvName;
  /** The run argument carrying the object's day (it labels the run; the bookmark chooses what it reads). */
  readonly dayArgument: string;
  /** The day a key names, or null when the key is not one of this dataset's objects. */
  readonly dayOf: (key: string) => IsoDate | null;
}

export const REFINEMENT_ROUTES: readonly RefinementRoute[] = [
  {
    dataset: 'portfolio',
    notificationId: 'raw-portfolio-to-glue-trigger',
    prefix: RAW_PORTFOLIO_PREFIX,
    suffix: '.parquet',
    jobNameEnv: ENV.glueJobName,
    dayArgument: JOB_ARGS.portfolioDate,
    dayOf: (key) => parseRawObjectKey(key)?.portfolioDate ?? null,
  },
  {
    dataset: 'quotes',
    notificationId: 'raw-quotes-to-glue-trigger',
    prefix: RAW_QUOTES_PREFIX,
    suffix: '.parquet',
    jobNameEnv: ENV.quotesGlueJobName,
    dayArgument: JOB_ARGS.sessionDate,
    dayOf: parseRawQuotesKey,
  },
];

/** The route whose notification filter a key passes, or null (S3 would not announce it). */
export function routeOfKey(key: string): RefinementRoute | null {
  return REFINEMENT_ROUTES.find((r) => key.startsWith(r.prefix) && key.endsWith(r.suffix)) ?? null;
}
