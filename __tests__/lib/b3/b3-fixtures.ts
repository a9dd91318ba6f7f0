import { readFileSync } from 'fs';
import { join } from 'path';

/** Reads the recorded B3 captures in __tests__/fixtures/b3 (see its README). */
const DIR = join(__dirname, '..', '..', 'fixtures', 'b3');

export const ENUS_JSON = 'GetPortfolioDay_enus_seg2_2025-04-07.json';
export const PTBR_JSON = 'GetPortfolioDay_ptbr_seg2_2022-12-08.json';
export const CSV_2023_12_15 = 'IBOVDia_15-12-23.csv';
export const CSV_2023_08_21 = 'IBOVDia_21-08-23.csv';
export const CSV_2024_11_11_SECTORS = 'IBOVDia_11-11-24.csv';
export const CSV_2021_03_26 = 'IBOVDia_26-03-21.csv';
export const CSV_2026_07_21 = 'IBOVDia_21-07-26.csv';
export const IBXX_CSV_2026_07_21 = 'IBXXDia_21-07-26.csv';
export const SMLL_CSV_2026_07_21 = 'SMLLDia_21-07-26.csv';
/** The spot-market records of COTAHIST 2021-03-25 for the 82 tickers of CSV_2021_03_26. */
export const COTAHIST_2021_03_25_IBOV = 'COTAHIST_D25032021.ibov-2021-03-26.TXT';
/** IBOV and IBrX 100 of one day, 2026-07-21: tickers in both indexes (the whole-day refinement tests). */
export const CSV_IBOV_2026_07_21 = CSV_2026_07_21;
export const CSV_IBXX_2026_07_21 = IBXX_CSV_2026_07_21;
export const CLOUDFLARE_HTML = 'cloudflare-challenge.html';
export const INDEX_STATISTICS_2022 = 'indexStatistics_GetPortfolioDay_IBOV_2022_enus.json';

/** Every real portfolio capture, by the index it holds (the fuzz and layout tests run over all). */
export const PORTFOLIO_CAPTURES: readonly { readonly file: string; readonly index: string }[] = [
  { file: ENUS_JSON, index: 'IBOV' },
  { file: PTBR_JSON, index: 'IBOV' },
  { file: CSV_2023_12_15, index: 'IBOV' },
  { file: CSV_2023_08_21, index: 'IBOV' },
  { file: CSV_2024_11_11_SECTORS, index: 'IBOV' },
  { file: CSV_2021_03_26, index: 'IBOV' },
  { file: CSV_2026_07_21, index: 'IBOV' },
  { file: IBXX_CSV_2026_07_21, index: 'IBXX' },
  { file: SMLL_CSV_2026_07_21, index: 'SMLL' },
];

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(DIR, name));
}

/** JSON captures decode as UTF-8 (what B3 sends). */
export function fixtureUtf8(name: string): string {
  return fixtureBytes(name).toString('utf8');
}

/** CSV captures decode as ISO-8859-1 (what the download is). */
export function fixtureLatin1(name: string): string {
  return fixtureBytes(name).toString('latin1');
}

/** A deep copy of a JSON capture, to change one field in a negative case. */
export function cloneJson(name: string): { page: Record<string, unknown>; header: Record<string, unknown>; results: Record<string, unknown>[] } {
  return JSON.parse(fixtureUtf8(name));
}

/** Runs `fn`, which must throw, and returns the error for exact assertions. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a refusal, got none');
}
