import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { registerCatalogTable } from '../../adapters/duckdb/local-catalog';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { CotahistBodyReader } from '../../lib/cotahist/body';
import type { CotahistQuote } from '../../lib/cotahist/quote';
import { QUOTES_REFINED_TABLE } from '../../lib/d1-session/portfolio-d1-view';
import { lit, q } from '../../lib/glue-dag/to-sql';
import { refinedTablePrefix } from '../../lib/lake/layout';

/**
 * STAND-IN for the Glue job `b3-quotes-refined` (issue 10 point 4, built in parallel): until it is
 * merged, the tests that need `default.b3_quotes_refined` make it here from a real COTAHIST file,
 * in the fixed contract (/work/notes/contract-quotes-refined.md): spot lot market (TPMERC 010)
 * only, prices per share (÷ FATCOT), one file per session under
 * `refined/b3_quotes_refined/dt=<session>/`, registered in the local catalog the way the local job
 * runner registers its sinks. When merging, replace calls to this with a run of the real job.
 */
export const QUOTES_REFINED_STANDIN_COLUMNS: ReadonlyArray<{ readonly name: string; readonly type: string }> = [
  { name: 'session_date', type: 'DATE' },
  { name: 'ticker', type: 'VARCHAR' },
  { name: 'isin', type: 'VARCHAR' },
  { name: 'company_name', type: 'VARCHAR' },
  { name: 'specification', type: 'VARCHAR' },
  { name: 'bdi_code', type: 'VARCHAR' },
  { name: 'open_price', type: 'DOUBLE' },
  { name: 'high_price', type: 'DOUBLE' },
  { name: 'low_price', type: 'DOUBLE' },
  { name: 'avg_price', type: 'DOUBLE' },
  { name: 'close_price', type: 'DOUBLE' },
  { name: 'trades', type: 'INTEGER' },
  { name: 'shares_traded', type: 'BIGINT' },
  { name: 'volume_brl', type: 'DOUBLE' },
  { name: 'quote_factor', type: 'INTEGER' },
];

const SPOT_LOT_MARKET = 10;
const COTAHIST_DIR = join(__dirname, '..', 'fixtures', 'cotahist');

/** The spot-market quotes of a real COTAHIST fixture (a file name in __tests__/fixtures/cotahist). */
export function spotQuotes(file: string): CotahistQuote[] {
  const quotes: CotahistQuote[] = [];
  const reader = new CotahistBodyReader({ accept: ['zip', 'text'], onQuote: (quote) => quote.market_type === SPOT_LOT_MARKET && quotes.push(quote) });
  reader.push(new Uint8Array(readFileSync(join(COTAHIST_DIR, file))));
  reader.end();
  return quotes;
}

export interface StandinOptions {
  /**
   * Files the quotes under this session instead of their own: a test scenario only, "the wrong
   * file taken as the D-1 session", to show the cross-source check catching it.
   */
  readonly asSession?: IsoDate;
  /** Leaves these tickers out: a constituent the session has no quote of. */
  readonly dropTickers?: readonly string[];
}

/** Writes one session of b3_quotes_refined from a real COTAHIST fixture and catalogs the table; returns the session. */
export async function writeQuotesRefinedStandin(lakeDir: string, file: string, opts: StandinOptions = {}): Promise<IsoDate> {
  const quotes = spotQuotes(file).filter((r) => !opts.dropTickers?.includes(r.ticker));
  const session = opts.asSession ?? quotes[0].session_date;
  const table = resolve(lakeDir, refinedTablePrefix(QUOTES_REFINED_TABLE));
  const dir = join(table, `dt=${session}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const price = (p: bigint, factor: number) => `${p}::DOUBLE / 100 / ${factor}`;
  const values = quotes.map((r) =>
    [
      `DATE ${lit(session)}`,
      lit(r.ticker),
      lit(r.isin),
      lit(r.company_name),
      lit(r.specification),
      lit(r.bdi_code),
      price(r.open_price, r.quote_factor),
      price(r.high_price, r.quote_factor),
      price(r.low_price, r.quote_factor),
      price(r.avg_price, r.quote_factor),
      price(r.close_price, r.quote_factor),
      String(r.trades),
      String(r.shares_traded),
      `${r.traded_volume}::DOUBLE / 100`,
      String(r.quote_factor),
    ].join(', '),
  );
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE quotes (${QUOTES_REFINED_STANDIN_COLUMNS.map((c) => `${q(c.name)} ${c.type}`).join(', ')})`);
    await conn.run(`INSERT INTO quotes VALUES ${values.map((v) => `(${v})`).join(',\n')}`);
    await conn.run(`COPY quotes TO ${lit(join(dir, 'part-00000.snappy.parquet'))} (FORMAT parquet, COMPRESSION snappy)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  await registerCatalogTable(lakeDir, {
    table: QUOTES_REFINED_TABLE,
    location: table,
    columns: [...QUOTES_REFINED_STANDIN_COLUMNS, { name: 'dt', type: 'DATE' }],
    partitionKeys: ['dt'],
  });
  return session;
}
