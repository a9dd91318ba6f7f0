import type { IsoDate } from './iso-date';

/** B3's own time zone: its sessions, holidays and portfolio dates are São Paulo days. */
export const B3_TIME_ZONE = 'America/Sao_Paulo';

const DAY_IN_SAO_PAULO = new Intl.DateTimeFormat('en-US', { timeZone: B3_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar day in São Paulo at an instant (UTC−3 since 2019, when Brazil dropped daylight
 * saving; the time-zone database knows the years before). At 23:30 in São Paulo it is already the
 * next day in UTC, and that is not yet B3's next day.
 */
export function saoPauloDate(instant: Date): IsoDate {
  const parts = Object.fromEntries(DAY_IN_SAO_PAULO.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
