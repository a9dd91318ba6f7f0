import { isIsoDate, type IsoDate } from '../calendar/iso-date';

/**
 * The lake's layout: one prefix per dataset, so each job reads, each notification fires on and
 * each IAM grant covers its own dataset only (issue 8). Keys, not folders: S3 has no folders.
 *
 *   raw/portfolio/dt=YYYY-MM-DD/<index>.parquet                    one object per index and day
 *   raw/quotes/dt=YYYY-MM-DD/cotahist.parquet                      B3's COTAHIST of one session
 *   refined/b3_portfolio_refined/dt=YYYY-MM-DD/ticker=XXXX/*.parquet the refined table
 */
export const RAW_ZONE = 'raw/';
export const REFINED_ZONE = 'refined/';

/** The raw portfolios: B3's index compositions as the scraper stored them. */
export const RAW_PORTFOLIO_PREFIX = `${RAW_ZONE}portfolio/`;

/** The raw quotes: every record of B3's COTAHIST file of a session, as B3 typed it. */
export const RAW_QUOTES_PREFIX = `${RAW_ZONE}quotes/`;

/** Where a refined table's objects live: `refined/<table>/`. */
export function refinedTablePrefix(table: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(table)) throw new Error(`lake-layout: a table name is lower snake_case, got ${JSON.stringify(table)}`);
  return `${REFINED_ZONE}${table}/`;
}

/**
 * The layout before issue 8 put `dt=` partitions straight under the zones. A lake in that layout
 * is refused with how to move it, rather than read half-way.
 */
export const OLD_LAYOUT_DAY = /^dt=\d{4}-\d{2}-\d{2}$/;

const DAY_PARTITION = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\//;

/** The day of a key inside a `dt=YYYY-MM-DD/` partition, or null when it is in none. */
export function dayPartitionOf(key: string): IsoDate | null {
  const day = DAY_PARTITION.exec(key)?.[1];
  return day !== undefined && isIsoDate(day) ? day : null;
}
