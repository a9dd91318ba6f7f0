import { isIsoDate, type IsoDate } from '../calendar/iso-date';

/** Prefix of the raw zone in the data lake. */
export const RAW_PREFIX = 'raw/';

/** Prefix of the refined zone in the data lake. */
export const REFINED_PREFIX = 'refined/';

/** `raw/dt=YYYY-MM-DD/<index in lower case>.parquet`: one object per index and portfolio date. */
export function rawObjectKey(indexCode: string, portfolioDate: IsoDate): string {
  return `${RAW_PREFIX}dt=${portfolioDate}/${indexCode.toLowerCase()}.parquet`;
}

const RAW_KEY = /^raw\/dt=(\d{4}-\d{2}-\d{2})\/([a-z0-9]+)\.parquet$/;

/** The day and index a raw key names, or null when the key is not a raw portfolio object. */
export function parseRawObjectKey(key: string): { portfolioDate: IsoDate; indexCode: string } | null {
  const m = RAW_KEY.exec(key);
  if (!m || !isIsoDate(m[1])) return null;
  return { portfolioDate: m[1], indexCode: m[2].toUpperCase() };
}
