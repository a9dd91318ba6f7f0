import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { RAW_PORTFOLIO_PREFIX } from '../lake/layout';

/** `raw/portfolio/dt=YYYY-MM-DD/<index in lower case>.parquet`: one object per index and portfolio date. */
export function rawObjectKey(indexCode: string, portfolioDate: IsoDate): string {
  return `${RAW_PORTFOLIO_PREFIX}dt=${portfolioDate}/${indexCode.toLowerCase()}.parquet`;
}

const RAW_KEY = /^raw\/portfolio\/dt=(\d{4}-\d{2}-\d{2})\/([a-z0-9]+)\.parquet$/;

/** The day and index a raw key names, or null when the key is not a raw portfolio object. */
export function parseRawObjectKey(key: string): { portfolioDate: IsoDate; indexCode: string } | null {
  const m = RAW_KEY.exec(key);
  if (!m || !isIsoDate(m[1])) return null;
  return { portfolioDate: m[1], indexCode: m[2].toUpperCase() };
}
