import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IsoDate } from '../../../lib/calendar/iso-date';
import type { CotahistQuote } from '../../../lib/cotahist/quote';
import { rawQuotesKey } from '../../../lib/raw/quotes-contract';
import { RawQuotesParquet } from '../../../lib/raw/quotes-parquet';
import { cotahistBytes, readAll } from '../../lib/cotahist/cotahist-fixtures';

/** Parses a real COTAHIST file and writes its session as the scraper does (`raw/quotes/dt=<session>/cotahist.parquet`). */
export function writeRawQuotes(lakeDir: string, file: string, session: IsoDate): CotahistQuote[] {
  const { quotes } = readAll(cotahistBytes(file), session);
  const writer = new RawQuotesParquet();
  for (const q of quotes) writer.add(q);
  const path = join(lakeDir, rawQuotesKey(session));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, writer.encode());
  return quotes;
}
