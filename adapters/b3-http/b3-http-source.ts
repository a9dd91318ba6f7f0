import { decodeCsvDownload, parsePortfolioCsv } from '../../lib/b3/portfolio-csv';
import { parsePortfolioJsonPages, readJsonPaging } from '../../lib/b3/portfolio-json';
import type { B3Language, PortfolioSnapshot } from '../../lib/b3/portfolio';
import { B3_BASE_URL, assertIndexCode, portfolioCsvPath, portfolioJsonPath } from '../../lib/b3/sources';
import { PipelineError } from '../../lib/errors';
import type { B3Source } from '../../lib/ports/b3-source';
import { B3SourceError } from './errors';
import { DEFAULT_RETRY_POLICY, httpGetBytes, normalizeBaseUrl, realTiming, type HttpTiming, type RetryPolicy } from './http-get';

/** Which route to start with: `json` (falls back to the CSV download) or `csv` only. */
export type B3SourceChoice = 'json' | 'csv';

export function parseSourceChoice(value: string): B3SourceChoice {
  if (value === 'json' || value === 'csv') return value;
  throw new PipelineError(`b3 http: source must be json or csv, got ${JSON.stringify(value)}`);
}

export interface B3HttpSourceOptions {
  readonly baseUrl?: string;
  readonly source?: B3SourceChoice;
  readonly language?: B3Language;
  readonly policy?: Partial<RetryPolicy>;
  readonly timing?: HttpTiming;
  /** A bound on `totalPages`, so a garbled paging header cannot make us crawl forever. */
  readonly maxPages?: number;
  readonly log?: (line: string) => void;
}

const utf8 = new TextDecoder('utf-8');

/** B3's public index service over HTTP: the paged JSON API first, the site's CSV download as fallback. */
export class B3HttpSource implements B3Source {
  readonly live = true;
  private readonly baseUrl: string;
  private readonly choice: B3SourceChoice;
  private readonly language: B3Language;
  private readonly policy: RetryPolicy;
  private readonly timing: HttpTiming;
  private readonly maxPages: number;
  private readonly log: (line: string) => void;

  constructor(opts: B3HttpSourceOptions = {}) {
    this.baseUrl = normalizeBaseUrl(opts.baseUrl ?? B3_BASE_URL, 'b3 http');
    this.choice = opts.source ?? 'json';
    this.language = opts.language ?? 'pt-br';
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.policy };
    this.timing = opts.timing ?? realTiming;
    this.maxPages = opts.maxPages ?? 20;
    this.log = opts.log ?? (() => {});
  }

  async fetchPortfolio(indexCode: string): Promise<PortfolioSnapshot> {
    const code = assertIndexCode(indexCode);
    if (this.choice === 'csv') return this.fetchCsv(code);
    try {
      return await this.fetchJson(code);
    } catch (jsonError) {
      const jsonMessage = jsonError instanceof Error ? jsonError.message : String(jsonError);
      this.log(`b3 http: json-api failed for ${code}, falling back to csv-download: ${jsonMessage}`);
      try {
        return await this.fetchCsv(code);
      } catch (csvError) {
        const csvMessage = csvError instanceof Error ? csvError.message : String(csvError);
        throw new B3SourceError(`b3 http: both routes failed for ${code}, got json-api: ${jsonMessage}; csv-download: ${csvMessage}`, [
          { source: 'json-api', error: jsonError },
          { source: 'csv-download', error: csvError },
        ]);
      }
    }
  }

  private get(path: string): Promise<Uint8Array> {
    return httpGetBytes(this.baseUrl + path, {
      policy: this.policy,
      timing: this.timing,
      onRetry: ({ url, attempt, delayMs, reason }) =>
        this.log(`b3 http: attempt ${attempt} of ${url} failed (${reason}), retrying in ${delayMs} ms`),
    });
  }

  /** Page 1 says how many pages there are; the parser checks rows against `totalRecords`. */
  private async fetchJson(code: string): Promise<PortfolioSnapshot> {
    const opts = { language: this.language };
    const first = utf8.decode(await this.get(portfolioJsonPath(code, 1, opts)));
    const { totalPages } = readJsonPaging(first);
    if (totalPages > this.maxPages) {
      throw new PipelineError(`b3 http: page.totalPages exceeds ${this.maxPages}, got ${totalPages}`);
    }
    const bodies = [first];
    for (let page = 2; page <= totalPages; page++) {
      bodies.push(utf8.decode(await this.get(portfolioJsonPath(code, page, opts))));
    }
    return parsePortfolioJsonPages(bodies, code);
  }

  private async fetchCsv(code: string): Promise<PortfolioSnapshot> {
    const body = await this.get(portfolioCsvPath(code, this.language));
    return parsePortfolioCsv(decodeCsvDownload(body), code);
  }
}
