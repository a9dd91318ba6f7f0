import type { B3Language } from '../../../lib/b3/portfolio';
import type { IsoDate } from '../../../lib/calendar/iso-date';
import { saoPauloDate } from '../../../lib/calendar/sao-paulo-date';
import { b3TradingCalendar } from '../../../lib/calendar/trading-calendar';

/**
 * Real captures as B3 would serve them live today. A live answer must be dated a session near
 * today in São Paulo (the scrape refuses any other), so a test that serves a capture over HTTP
 * changes that one field, its date, to the session a fetch now is for: today when B3 trades,
 * else the next session (B3 publishes it the evening before).
 */
export function liveSessionDate(now: Date = new Date()): IsoDate {
  const today = saoPauloDate(now);
  return b3TradingCalendar.isTradingDay(today) ? today : b3TradingCalendar.nextTradingDay(today);
}

/** A day as B3 writes it: DD/MM/YY in pt-br, MM/DD/YY in en-us. */
function b3Date(day: IsoDate, language: B3Language): string {
  const [y, m, d] = day.split('-');
  return language === 'pt-br' ? `${d}/${m}/${y.slice(2)}` : `${m}/${d}/${y.slice(2)}`;
}

/** A JSON capture with only `header.date` changed. */
export function redatedJson(body: string, day: IsoDate, language: B3Language): string {
  const value = JSON.parse(body) as { header: { date: string } };
  const out = body.replace(`"date":"${value.header.date}"`, `"date":"${b3Date(day, language)}"`);
  if (out === body) throw new Error(`live capture: no header.date to change, got ${JSON.stringify(value.header.date)}`);
  return out;
}

/** A CSV capture (decoded text) with only the date of its title line changed. */
export function redatedCsv(text: string, day: IsoDate): string {
  const out = text.replace(/^([^\r\n]* )\d{2}\/\d{2}\/\d{2}(\r?\n)/, `$1${b3Date(day, 'pt-br')}$2`);
  if (out === text) throw new Error(`live capture: no title date to change, got ${JSON.stringify(text.slice(0, 40))}`);
  return out;
}
