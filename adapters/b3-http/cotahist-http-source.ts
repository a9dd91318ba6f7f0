import type { IsoDate } from '../../lib/calendar/iso-date';
import { COTAHIST_BASE_URL, cotahistDailyPath } from '../../lib/cotahist/source';
import { PipelineError } from '../../lib/errors';
import type { CotahistBody, QuotesSource } from '../../lib/ports/quotes-source';
import { DEFAULT_RETRY_POLICY, httpGetBytes, normalizeBaseUrl, realTiming, type HttpTiming, type RetryPolicy } from './http-get';

export interface CotahistHttpSourceOptions {
  readonly baseUrl?: string;
  readonly policy?: Partial<RetryPolicy>;
  readonly timing?: HttpTiming;
  readonly log?: (line: string) => void;
}

/**
 * B3's daily COTAHIST zip over HTTP, with the portfolio's timeout, retry and backoff policy. A 404
 * (no file for that day yet, or not a session) fails at once, as any status but 429/5xx does: the
 * schedule's retry policy tries the run again later. The zip (under 1 MB) is held whole; its text
 * (4 MB) is inflated chunk by chunk by the reader.
 */
export class CotahistHttpSource implements QuotesSource {
  private readonly baseUrl: string;
  private readonly policy: RetryPolicy;
  private readonly timing: HttpTiming;
  private readonly log: (line: string) => void;

  constructor(opts: CotahistHttpSourceOptions = {}) {
    this.baseUrl = normalizeBaseUrl(opts.baseUrl ?? COTAHIST_BASE_URL, 'cotahist http');
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.policy };
    this.timing = opts.timing ?? realTiming;
    this.log = opts.log ?? (() => {});
  }

  async fetchCotahist(session: IsoDate | null): Promise<CotahistBody> {
    if (session === null) throw new PipelineError('cotahist http: B3 serves one session per file, got no session');
    const url = this.baseUrl + cotahistDailyPath(session);
    const body = await httpGetBytes(url, {
      policy: this.policy,
      timing: this.timing,
      headers: { Accept: 'application/zip, application/octet-stream, */*' },
      onRetry: ({ attempt, delayMs, reason }) => this.log(`cotahist http: attempt ${attempt} of ${url} failed (${reason}), retrying in ${delayMs} ms`),
    });
    return { chunks: [body], accept: ['zip'], origin: url };
  }
}
