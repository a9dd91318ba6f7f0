import { PipelineError } from '../errors';
import type { B3Language, PortfolioSource } from './portfolio';

/**
 * B3's index portfolio sources, declared as data (rb3's habit): each source is a path
 * template whose last segment is the base64 of a compact JSON query, so a new index or
 * language is a new argument, not new control flow.
 */

/** Host of B3's public listings service (the site's own XHR calls go here). */
export const B3_BASE_URL = 'https://sistemaswebb3-listados.b3.com.br';

export interface PortfolioJsonOptions {
  readonly language?: B3Language;
  /** 120 is what the site itself asks; the IBOV has under 100 rows, so one page suffices. */
  readonly pageSize?: number;
  /** '2' puts the sector in `segment` and its total weight in `partAcum`; '1' leaves them null. */
  readonly segment?: '1' | '2';
}

interface B3SourceDeclaration {
  readonly id: PortfolioSource;
  /** What the HTTP body is: paged JSON, or one base64 string holding ISO-8859-1 CSV. */
  readonly body: 'json-pages' | 'base64-csv';
  readonly pathPrefix: string;
}

const PORTFOLIO_JSON_SOURCE: B3SourceDeclaration = {
  id: 'json-api',
  body: 'json-pages',
  pathPrefix: '/indexProxy/indexCall/GetPortfolioDay/',
};

const PORTFOLIO_CSV_SOURCE: B3SourceDeclaration = {
  id: 'csv-download',
  body: 'base64-csv',
  pathPrefix: '/indexProxy/indexCall/GetDownloadPortfolioDay/',
};

const INDEX_CODE = /^[A-Z0-9]{4}$/;

/** Upper-cases and checks an index code (IBOV, IBXX, SMLL…): four letters or digits. */
export function assertIndexCode(code: string): string {
  const upper = code.trim().toUpperCase();
  if (!INDEX_CODE.test(upper)) {
    throw new PipelineError(`b3: index code must be 4 letters or digits, got ${JSON.stringify(code)}`);
  }
  return upper;
}

/**
 * A list of index codes as users write it (`IBOV, smll`, or several such values): split on
 * commas, blanks dropped, each checked and upper-cased, without repeats, in order.
 */
export function parseIndexCodes(values: string | readonly string[]): string[] {
  const parts = (typeof values === 'string' ? [values] : values).flatMap((v) => v.split(','));
  return [...new Set(parts.map((c) => c.trim()).filter((c) => c !== '').map(assertIndexCode))];
}

function base64Json(query: Record<string, string | number>): string {
  // Key order is part of the contract: JSON.stringify keeps insertion order.
  return Buffer.from(JSON.stringify(query), 'utf8').toString('base64');
}

/** Path of one page of the JSON portfolio (`GetPortfolioDay`). */
export function portfolioJsonPath(indexCode: string, page: number, opts: PortfolioJsonOptions = {}): string {
  if (!Number.isSafeInteger(page) || page < 1) {
    throw new RangeError(`b3: page number must be an integer from 1, got ${page}`);
  }
  const pageSize = opts.pageSize ?? 120;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`b3: page size must be a positive integer, got ${pageSize}`);
  }
  const query = {
    language: opts.language ?? 'pt-br',
    pageNumber: page,
    pageSize,
    index: assertIndexCode(indexCode),
    segment: opts.segment ?? '2',
  };
  return PORTFOLIO_JSON_SOURCE.pathPrefix + base64Json(query);
}

/** Path of the site's download button (`GetDownloadPortfolioDay`): a base64 CSV body. */
export function portfolioCsvPath(indexCode: string, language: B3Language = 'pt-br'): string {
  return PORTFOLIO_CSV_SOURCE.pathPrefix + base64Json({ index: assertIndexCode(indexCode), language });
}
