import { describeHtml, looksLikeHtml } from '../../lib/b3/errors';
import type { RetryPolicy } from '../../lib/b3/retry-budget';
import { B3HttpError } from './errors';
import { PipelineError } from '../../lib/errors';

// The policy is data the stack sizes the scraper Lambda from, so it lives in lib/.
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../lib/b3/retry-budget';

/** The seams tests replace: time and chance. `fetch` stays Node's real one. */
export interface HttpTiming {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
}

export const realTiming: HttpTiming = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

/**
 * B3 sits behind Cloudflare, which challenges clients that do not look like a browser;
 * these are the headers the site's own pages send with their XHR calls.
 */
const BROWSER_HEADERS: Readonly<Record<string, string>> = {
  'User-Agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  Accept: 'application/json, text/plain, */*',
  'Accept-Language': 'pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7',
};

/** Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or null when absent/garbled. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its weekday and month; Date.parse alone would read "-3" as a year.
  if (!/^[A-Za-z]{3}, /.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries never bunch up nor drop to zero. */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

export interface HttpGetOptions {
  readonly policy: RetryPolicy;
  readonly timing: HttpTiming;
  readonly headers?: Readonly<Record<string, string>>;
  /** Called before each wait, e.g. to log `retrying in 2000 ms after HTTP 503`. */
  readonly onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

function describeBody(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096));
  return looksLikeHtml(text) ? `, body is ${describeHtml(text)}` : '';
}

/**
 * GETs `url` and returns the body bytes of a 200. Network errors, timeouts, 429 and 5xx are
 * retried with backoff (a `Retry-After` wins when present, capped); any other status fails at once.
 */
export async function httpGetBytes(url: string, opts: HttpGetOptions): Promise<Uint8Array> {
  const { policy, timing } = opts;
  let last: B3HttpError | undefined;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let retryAfterMs: number | null = null;
    try {
      // One signal for headers and body: a server that stalls mid-body is a timeout too.
      const signal = AbortSignal.timeout(policy.timeoutMs);
      const res = await fetch(url, { headers: { ...BROWSER_HEADERS, ...opts.headers }, signal, redirect: 'follow' });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (res.status === 200) return bytes;
      const error = new B3HttpError(`b3 http: GET ${url} answered HTTP ${res.status}${describeBody(bytes)}`, url, res.status);
      if (!isRetryableStatus(res.status)) throw error;
      last = error;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), timing.now());
    } catch (error) {
      if (error instanceof B3HttpError) throw error;
      // Duck-typed: the abort DOMException is not always `instanceof Error` (other realms, jest).
      const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { message?: string } };
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const reason = timedOut
        ? `timed out after ${policy.timeoutMs} ms`
        : `network error ${cause?.message ?? message ?? String(error)}`;
      last = new B3HttpError(`b3 http: GET ${url} ${reason}`, url, null, { cause: error });
    }
    if (attempt === policy.attempts) break;
    const delayMs =
      retryAfterMs !== null ? Math.min(retryAfterMs, policy.maxRetryAfterMs) : backoffMs(attempt - 1, policy, timing.random);
    opts.onRetry?.({ url, attempt, delayMs, reason: last.message });
    await timing.sleep(delayMs);
  }
  throw new B3HttpError(`${last!.message} (gave up after ${policy.attempts} attempts)`, url, last!.status, { cause: last });
}

/** A B3 base URL as the sources use it: http(s)://host[/path], without a trailing slash. */
export function normalizeBaseUrl(base: string, subsystem: string): string {
  if (!/^https?:\/\/[^/]+/.test(base)) throw new PipelineError(`${subsystem}: base URL must be http(s)://host, got ${JSON.stringify(base)}`);
  return base.replace(/\/+$/, '');
}
