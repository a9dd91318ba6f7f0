import { B3FormatError, B3ValidationError, describeHtml, excerpt, looksLikeHtml } from './errors';
import type { PortfolioSnapshot } from './portfolio';
import { assertIndexCode } from './sources';
import { validatePortfolio, type RawPortfolioRow } from './validate';

/**
 * The JSON source (`GetPortfolioDay`): `{page: {pageNumber, pageSize, totalRecords, totalPages},
 * header: {date, theoricalQty, reductor, …}, results: [{segment, cod, asset, type, part,
 * partAcum, theoricalQty}]}`. `page` holds numbers; every header and result value is a string.
 */

export interface JsonPaging {
  readonly pageNumber: number;
  readonly totalPages: number;
  readonly totalRecords: number;
}

interface JsonPage {
  readonly paging: JsonPaging;
  readonly header: Record<string, unknown>;
  readonly results: readonly RawPortfolioRow[];
}

const EXPECTED = 'b3: expected a JSON portfolio';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pagingNumber(page: Record<string, unknown>, key: string, min: number): number {
  const value = page[key];
  // B3 sends numbers here; a digit string is accepted since the rest of the answer is strings.
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw new B3FormatError(`${EXPECTED}, got page.${key} ${value === undefined ? 'missing' : JSON.stringify(value)}`);
  }
  return n;
}

function parseJsonPage(body: string): JsonPage {
  const text = body.replace(/^\uFEFF/, '');
  if (looksLikeHtml(text)) throw new B3FormatError(`${EXPECTED}, got ${describeHtml(text)}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new B3FormatError(`${EXPECTED}, got text that is not JSON: ${excerpt(text)}`, { cause });
  }
  if (!isObject(value) || !isObject(value.page) || !Array.isArray(value.results)) {
    const seen = isObject(value) ? `an object with keys [${Object.keys(value).join(', ')}]` : `a JSON ${Array.isArray(value) ? 'array' : typeof value}`;
    throw new B3FormatError(`${EXPECTED} with page and results, got ${seen}`);
  }
  const paging: JsonPaging = {
    pageNumber: pagingNumber(value.page, 'pageNumber', 1),
    totalPages: pagingNumber(value.page, 'totalPages', 0),
    totalRecords: pagingNumber(value.page, 'totalRecords', 0),
  };
  const results = value.results.map((r, i) => {
    if (!isObject(r)) throw new B3ValidationError('results', i, `a row must be an object, got ${JSON.stringify(r)}`);
    return r as RawPortfolioRow;
  });
  return { paging, header: isObject(value.header) ? value.header : {}, results };
}

/** The paging of one JSON body: the HTTP adapter reads page 1 to know how many to fetch. */
export function readJsonPaging(body: string): JsonPaging {
  return parseJsonPage(body).paging;
}

/**
 * Merges every page of one JSON answer (page 1 first) into a validated snapshot. The pages must
 * be 1..totalPages in order, agree on totalPages, totalRecords and header.date, and their rows
 * together must number totalRecords.
 */
export function parsePortfolioJsonPages(bodies: readonly string[], indexCode: string): PortfolioSnapshot {
  const code = assertIndexCode(indexCode);
  if (bodies.length === 0) throw new B3ValidationError('results', null, 'no pages, got 0 bodies');
  const pages = bodies.map(parseJsonPage);
  const first = pages[0];
  if (first.paging.totalPages !== pages.length) {
    throw new B3ValidationError('page.totalPages', null, `announces ${first.paging.totalPages} pages, got ${pages.length} bodies`);
  }
  pages.forEach((p, i) => {
    if (p.paging.pageNumber !== i + 1) {
      throw new B3ValidationError('page.pageNumber', null, `body ${i + 1} should be page ${i + 1}, got page ${p.paging.pageNumber}`);
    }
    if (p.paging.totalRecords !== first.paging.totalRecords) {
      throw new B3ValidationError('page.totalRecords', null, `page 1 says ${first.paging.totalRecords}, got ${p.paging.totalRecords} on page ${i + 1}`);
    }
    // A page from another day's portfolio (published between two requests) must not be merged.
    if (p.header.date !== first.header.date) {
      throw new B3ValidationError('header.date', null, `page 1 is dated ${JSON.stringify(first.header.date)}, got ${JSON.stringify(p.header.date)} on page ${i + 1}`);
    }
  });
  return validatePortfolio({
    indexCode: code,
    source: 'json-api',
    date: first.header.date,
    theoricalQty: first.header.theoricalQty,
    reductor: first.header.reductor,
    totalRecords: first.paging.totalRecords,
    hasSectors: true,
    rows: pages.flatMap((p) => p.results),
  });
}
