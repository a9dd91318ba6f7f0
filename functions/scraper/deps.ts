import { Logger } from '@aws-lambda-powertools/logger';
import { s3Client } from '../../adapters/aws/s3-client';
import { B3HttpSource, parseSourceChoice } from '../../adapters/b3-http/b3-http-source';
import { CotahistHttpSource } from '../../adapters/b3-http/cotahist-http-source';
import { S3ObjectStore } from '../../adapters/storage/s3-object-store';
import { parseIndexCodes } from '../../lib/b3/sources';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { ENV } from '../../lib/config/env-names';
import { readEnv } from '../../lib/config/read-env';
import type { ScrapeDayDeps } from '../../lib/pipeline/scrape-day';
import { systemClock } from '../../lib/ports/clock';

/** Everything one scraper invocation needs; built once per Lambda container. */
export interface ScraperDeps {
  readonly scrape: ScrapeDayDeps;
  readonly indexCodes: readonly string[];
  readonly logger: Logger;
}

/**
 * Production wiring from the environment (names in lib/config/env-names.ts); the S3 client
 * follows AWS_ENDPOINT_URL when set (the emulator), see s3Client.
 */
export function defaultDeps(env: Readonly<Record<string, string | undefined>> = process.env): ScraperDeps {
  const cfg = readEnv(env, [ENV.lakeBucket], {
    [ENV.indexCodes]: 'IBOV',
    [ENV.b3Source]: 'json',
    [ENV.b3BaseUrl]: '',
    [ENV.cotahistBaseUrl]: '',
  });
  const logger = new Logger({ serviceName: 'b3-scraper' });
  const source = new B3HttpSource({
    baseUrl: cfg[ENV.b3BaseUrl] || undefined,
    source: parseSourceChoice(cfg[ENV.b3Source]),
    log: (line) => logger.warn(line),
  });
  // The same retry policy as the portfolio (DEFAULT_RETRY_POLICY): the Lambda's timeout counts its URL.
  const quotes = new CotahistHttpSource({ baseUrl: cfg[ENV.cotahistBaseUrl] || undefined, log: (line) => logger.warn(line) });
  return {
    scrape: {
      source,
      quotes,
      store: new S3ObjectStore(s3Client(env), cfg[ENV.lakeBucket]),
      calendar: b3TradingCalendar,
      clock: systemClock,
      progress: (line) => logger.info(line),
    },
    indexCodes: parseIndexCodes(cfg[ENV.indexCodes]),
    logger,
  };
}
