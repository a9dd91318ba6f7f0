import type { IsoDate } from '../calendar/iso-date';
import { B3FormatError, B3ValidationError } from './errors';
import { detectLanguage, parseB3Date, parseB3Decimal, parseB3Integer, parseB3Reductor } from './numbers';
import type { B3Language, PortfolioRow, PortfolioSnapshot, PortfolioSource } from './portfolio';

/**
 * One row as the source wrote it, named by B3's JSON fields (the CSV parser maps its columns
 * onto the same names). Values are `unknown`: a body may carry anything.
 */
export interface RawPortfolioRow {
  readonly cod?: unknown;
  readonly asset?: unknown;
  readonly type?: unknown;
  readonly segment?: unknown;
  readonly part?: unknown;
  readonly partAcum?: unknown;
  readonly theoricalQty?: unknown;
}

/** A whole answer before validation: what both parsers hand to `validatePortfolio`. */
export interface RawPortfolio {
  readonly indexCode: string;
  readonly source: PortfolioSource;
  /** header.date */
  readonly date: unknown;
  /** header.theoricalQty */
  readonly theoricalQty: unknown;
  /** header.reductor */
  readonly reductor: unknown;
  /** page.totalRecords (JSON only): the row count B3 announced. */
  readonly totalRecords?: number;
  /** false when the source has no sector columns at all (the CSV download). */
  readonly hasSectors: boolean;
  readonly rows: readonly RawPortfolioRow[];
}

/** A B3 trading code: 4 letters or digits, then 1–2 digits (PETR4, BPAC11). */
export const TICKER = /^[A-Z0-9]{4}\d{1,2}$/;

/** Weights are published with 3 decimals and must add up to 100 within rounding. */
const WEIGHT_TOLERANCE_PCT = 0.1;
/** Half a unit of the parts' third decimal: the most one published part is off by rounding. */
const SECTOR_ROUNDING_PCT = 0.0005;

type RowId = string | number | null;

function describe(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function requireString(value: unknown, field: string, row: RowId): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new B3ValidationError(field, row, `missing or empty, got ${describe(value)}`);
  }
  return value;
}

function integer(value: unknown, field: string, row: RowId, language: B3Language): number {
  const text = requireString(value, field, row);
  const n = parseB3Integer(text, language);
  if (n === undefined) {
    throw new B3ValidationError(field, row, `not a ${language} whole number within safe range, got ${describe(text)}`);
  }
  return n;
}

function decimal(value: unknown, field: string, row: RowId, language: B3Language): number {
  const text = requireString(value, field, row);
  const n = parseB3Decimal(text, language);
  if (n === undefined) throw new B3ValidationError(field, row, `not a ${language} number, got ${describe(text)}`);
  return n;
}

function reductorOf(value: unknown, language: B3Language): number {
  const text = requireString(value, 'header.reductor', null);
  const n = parseB3Reductor(text, language);
  if (n === undefined) {
    throw new B3ValidationError('header.reductor', null, `not a ${language} number (nor one with its decimal separator dropped), got ${describe(text)}`);
  }
  // The index level is Σ qty × price ÷ reductor: a zero reductor is no index.
  if (n === 0) throw new B3ValidationError('header.reductor', null, `must be positive, got ${describe(text)}`);
  return n;
}

function date(value: unknown, language: B3Language): IsoDate {
  const text = requireString(value, 'header.date', null);
  const day = parseB3Date(text, language);
  if (day === undefined) {
    const layout = language === 'pt-br' ? 'DD/MM/YY' : 'MM/DD/YY';
    throw new B3ValidationError('header.date', null, `not a real ${language} date (${layout}), got ${describe(text)}`);
  }
  return day;
}

function languageOf(raw: RawPortfolio): B3Language {
  const strings = (values: unknown[]): string[] => values.filter((v): v is string => typeof v === 'string');
  const language = detectLanguage({
    integers: strings([raw.theoricalQty, ...raw.rows.map((r) => r.theoricalQty)]),
    decimals: strings([raw.reductor, ...raw.rows.flatMap((r) => [r.part, r.partAcum])]),
  });
  if (language === undefined) {
    throw new B3FormatError(
      `b3: cannot tell pt-br from en-us numbers (no unambiguous value, or as many of each), got total ${describe(raw.theoricalQty)} and reductor ${describe(raw.reductor)}`,
    );
  }
  return language;
}

/**
 * Whether rows carry sectors: segment 2 fills `segment`/`partAcum` on every row, segment 1
 * leaves them null on every row; a mix is refused, since a half-known sector is a bad answer.
 */
function sectorsKnown(raw: RawPortfolio): boolean {
  if (!raw.hasSectors) return false;
  const absent = (v: unknown): boolean => v === null || v === undefined;
  return !raw.rows.every((r) => absent(r.segment) && absent(r.partAcum));
}

function parseRow(r: RawPortfolioRow, index: number, language: B3Language, withSectors: boolean): PortfolioRow {
  const cod = requireString(r.cod, 'cod', index);
  if (!TICKER.test(cod)) throw new B3ValidationError('cod', index, `not a B3 ticker (e.g. PETR4, BPAC11), got ${describe(cod)}`);
  return {
    ticker: cod,
    asset: requireString(r.asset, 'asset', cod).trim(),
    shareType: requireString(r.type, 'type', cod).trim().replace(/ {2,}/g, ' '),
    sector: withSectors ? requireString(r.segment, 'segment', cod).trim() : null,
    theoreticalQty: integer(r.theoricalQty, 'theoricalQty', cod, language),
    weightPct: decimal(r.part, 'part', cod, language),
    sectorWeightPct: withSectors ? decimal(r.partAcum, 'partAcum', cod, language) : null,
  };
}

/**
 * Each row's sector total (`partAcum`, the CSV's `Part. (%)Acum.`) must be the sum of its sector's
 * weights, within the rounding of the 3-decimal parts and of the total (B3's own totals match
 * exactly in every capture). So one sector total per sector, and a moved row is caught.
 */
function checkSectorTotals(rows: readonly PortfolioRow[]): void {
  const sectors = new Map<string | null, { sum: number; count: number }>();
  for (const row of rows) {
    const s = sectors.get(row.sector) ?? { sum: 0, count: 0 };
    s.sum += row.weightPct;
    s.count += 1;
    sectors.set(row.sector, s);
  }
  for (const row of rows) {
    const { sum, count } = sectors.get(row.sector) ?? { sum: 0, count: 0 };
    if (row.sectorWeightPct === null || Math.abs(row.sectorWeightPct - sum) > SECTOR_ROUNDING_PCT * (count + 1)) {
      throw new B3ValidationError(
        'partAcum',
        row.ticker,
        `sector ${describe(row.sector)} weights add up to ${sum.toFixed(3)} in ${count} row${count === 1 ? '' : 's'}, got sector total ${row.sectorWeightPct}`,
      );
    }
  }
}

/** Validates and types a raw answer; throws B3ValidationError naming the field and row. */
export function validatePortfolio(raw: RawPortfolio): PortfolioSnapshot {
  if (raw.rows.length === 0) throw new B3ValidationError('results', null, 'no rows, got 0');
  const language = languageOf(raw);
  const portfolioDate = date(raw.date, language);
  const totalTheoreticalQty = integer(raw.theoricalQty, 'header.theoricalQty', null, language);
  const reductor = reductorOf(raw.reductor, language);
  const withSectors = sectorsKnown(raw);

  const seen = new Set<string>();
  const rows = raw.rows.map((r, i) => {
    const row = parseRow(r, i, language, withSectors);
    if (seen.has(row.ticker)) throw new B3ValidationError('cod', row.ticker, `ticker repeats, got a second row at #${i}`);
    seen.add(row.ticker);
    return row;
  });

  if (raw.totalRecords !== undefined && rows.length !== raw.totalRecords) {
    throw new B3ValidationError('page.totalRecords', null, `announces ${raw.totalRecords} rows, got ${rows.length}`);
  }
  // Sum in BigInt: IBOV totals near 1e11 are safe, but a sum of safe integers need not be.
  const qtySum = rows.reduce((sum, row) => sum + BigInt(row.theoreticalQty), 0n);
  if (qtySum !== BigInt(totalTheoreticalQty)) {
    throw new B3ValidationError('header.theoricalQty', null, `rows add up to ${qtySum}, got header total ${totalTheoreticalQty}`);
  }
  const weightSum = rows.reduce((sum, row) => sum + row.weightPct, 0);
  if (Math.abs(weightSum - 100) > WEIGHT_TOLERANCE_PCT) {
    throw new B3ValidationError('results.part', null, `weights must add up to 100 ± ${WEIGHT_TOLERANCE_PCT}, got ${weightSum.toFixed(3)}`);
  }
  if (withSectors) checkSectorTotals(rows);
  return { indexCode: raw.indexCode, portfolioDate, totalTheoreticalQty, reductor, source: raw.source, language, rows };
}
