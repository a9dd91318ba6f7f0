/** How hard the scraper insists against one B3 URL. */
export interface RetryPolicy {
  /** Total tries including the first. */
  readonly attempts: number;
  /** First backoff; doubles each retry, with jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per-request budget, headers and body included. */
  readonly timeoutMs: number;
  /** A server asking for longer than this is waited for this long at most. */
  readonly maxRetryAfterMs: number;
}

/**
 * A route that keeps failing costs at most 3 x 10 s of requests plus two waits of at most 10 s;
 * the scraper Lambda's timeout is derived from it (scrapeBudgetMs), not the other way round.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  timeoutMs: 10_000,
  maxRetryAfterMs: 10_000,
};

/** The longest one URL can take before giving up: every attempt runs to its timeout, every wait is the longest allowed. */
export function urlBudgetMs(policy: RetryPolicy): number {
  return policy.attempts * policy.timeoutMs + (policy.attempts - 1) * Math.max(policy.maxDelayMs, policy.maxRetryAfterMs);
}

/**
 * The worst case of scraping `indexCount` indexes one after the other, each failing on every
 * route: page 1 of the JSON API (the indexes scraped have at most 120 members, one page of
 * pageSize 120), then the CSV download; and then the COTAHIST of each distinct D-1 session.
 * Live portfolios may be dated up to LIVE_MAX_SESSIONS_APART apart, so the indexes can have as
 * many distinct sessions as there are indexes: one COTAHIST URL per index at most.
 */
export function scrapeBudgetMs(policy: RetryPolicy, indexCount: number): number {
  const portfolioUrlsPerIndex = 2;
  const quotesUrlsPerIndex = 1;
  return indexCount * (portfolioUrlsPerIndex + quotesUrlsPerIndex) * urlBudgetMs(policy);
}
