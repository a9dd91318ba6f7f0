import * as path from 'node:path';
import { fixtureLatin1, fixtureUtf8 } from '../lib/b3/b3-fixtures';

/**
 * What each real capture says, read straight from the file with a few lines of string handling
 * (not the project's parser), so CLI tests compare against values computed independently.
 */
export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'b3');

export interface CaptureFacts {
  readonly file: string;
  readonly portfolioDate: string;
  /** The B3 session before it, from B3's calendar by hand: 2022-12-08 Thu, 2023-08-21 Mon, 2023-12-15 Fri, 2025-04-07 Mon. */
  readonly sessionDate: string;
  readonly source: 'json-api' | 'csv-download';
  readonly weights: ReadonlyArray<{ ticker: string; weight: number }>;
}

const ptNumber = (s: string) => Number(s.replace(/\./g, '').replace(',', '.'));
const enNumber = (s: string) => Number(s.replace(/,/g, ''));

function jsonWeights(file: string, parse: (s: string) => number) {
  const body = JSON.parse(fixtureUtf8(file)) as { results: { cod: string; part: string }[] };
  return body.results.map((r) => ({ ticker: r.cod, weight: parse(r.part) }));
}

function csvWeights(file: string) {
  const lines = fixtureLatin1(file).split('\r\n').filter((l) => l !== '');
  // Title, header, rows…, "Quantidade Teórica Total", "Redutor".
  return lines.slice(2, -2).map((l) => {
    const [ticker, , , , part] = l.split(';');
    return { ticker, weight: ptNumber(part) };
  });
}

export const CAPTURE_FACTS: readonly CaptureFacts[] = [
  { file: 'GetPortfolioDay_ptbr_seg2_2022-12-08.json', portfolioDate: '2022-12-08', sessionDate: '2022-12-07', source: 'json-api', weights: jsonWeights('GetPortfolioDay_ptbr_seg2_2022-12-08.json', ptNumber) },
  { file: 'IBOVDia_21-08-23.csv', portfolioDate: '2023-08-21', sessionDate: '2023-08-18', source: 'csv-download', weights: csvWeights('IBOVDia_21-08-23.csv') },
  { file: 'IBOVDia_15-12-23.csv', portfolioDate: '2023-12-15', sessionDate: '2023-12-14', source: 'csv-download', weights: csvWeights('IBOVDia_15-12-23.csv') },
  { file: 'GetPortfolioDay_enus_seg2_2025-04-07.json', portfolioDate: '2025-04-07', sessionDate: '2025-04-04', source: 'json-api', weights: jsonWeights('GetPortfolioDay_enus_seg2_2025-04-07.json', enNumber) },
];

/** The n heaviest tickers, ties by ticker, as `VALE3 11.025%`. */
export function largest(facts: CaptureFacts, n: number): string {
  return [...facts.weights]
    .sort((a, b) => b.weight - a.weight || (a.ticker < b.ticker ? -1 : 1))
    .slice(0, n)
    .map((w) => `${w.ticker} ${w.weight.toFixed(3)}%`)
    .join(', ');
}

export const factsOf = (date: string): CaptureFacts => CAPTURE_FACTS.find((c) => c.portfolioDate === date)!;
