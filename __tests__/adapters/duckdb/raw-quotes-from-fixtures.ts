import type { IsoDate } from '../../../lib/calendar/iso-date';
import type { CotahistQuote } from '../../../lib/cotahist/quote';
import { cotahistBytes, readAll } from '../../lib/cotahist/cotahist-fixtures';
import { writeRawQuotes as writeRawQuoteRows } from '../../support/quotes-refined-from-fixture';

/** Parses a real COTAHIST file, checked to be `session`, and writes it as the scraper does. */
export function writeRawQuotes(lakeDir: string, file: string, session: IsoDate): CotahistQuote[] {
  const { quotes } = readAll(cotahistBytes(file), session);
  writeRawQuoteRows(lakeDir, quotes);
  return quotes;
}
