import { addDays, isIsoDate } from '../../../lib/calendar/iso-date';
import { TradingCalendar, b3TradingCalendar as b3, weekday } from '../../../lib/calendar/trading-calendar';
import { fixtureUtf8 } from '../b3/b3-fixtures';

/** Every day of 2022 with whether the IBOV had a close (null close ⇔ no session). */
function sessions2022(): Array<[string, boolean]> {
  const body = JSON.parse(fixtureUtf8('indexStatistics_GetPortfolioDay_IBOV_2022_enus.json')) as { results: Array<Record<string, unknown>> };
  const days: Array<[string, boolean]> = [];
  for (const r of body.results) {
    for (let month = 1; month <= 12; month++) {
      const day = `2022-${String(month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}`;
      if (isIsoDate(day)) days.push([day, r[`rateValue${month}`] !== null]);
    }
  }
  return days.sort();
}

describe('b3TradingCalendar against every IBOV close of 2022', () => {
  const days = sessions2022();

  it('covers the whole year with its sessions', () => {
    expect(days).toHaveLength(365);
    expect(days.filter(([, open]) => open)).toHaveLength(250);
  });

  it('agrees on every day: a session exactly when there is a close', () => {
    const disagreements = days.filter(([day, open]) => b3.isTradingDay(day) !== open).map(([day]) => day);
    expect(disagreements).toEqual([]);
  });

  it('lists the weekday closures of 2022', () => {
    expect(b3.holidays(2022)).toEqual([
      '2022-02-28', '2022-03-01', '2022-04-15', '2022-04-21', '2022-06-16',
      '2022-09-07', '2022-10-12', '2022-11-02', '2022-11-15', '2022-12-30',
    ]);
  });
});

describe('b3TradingCalendar, B3 published calendars', () => {
  it('2025: the closures B3 announced on 2024-12-04', () => {
    expect(b3.holidays(2025)).toEqual([
      '2025-01-01', '2025-03-03', '2025-03-04', '2025-04-18', '2025-04-21', '2025-05-01',
      '2025-06-19', '2025-11-20', '2025-12-24', '2025-12-25', '2025-12-31',
    ]);
  });

  it('2023: no session on 29 Dec, since 31 Dec is a Sunday; 20 Nov and 25 Jan open', () => {
    expect(b3.isTradingDay('2023-12-29')).toBe(false);
    expect(b3.isTradingDay('2023-12-28')).toBe(true);
    expect(b3.isTradingDay('2023-11-20')).toBe(true);
    expect(b3.isTradingDay('2023-01-25')).toBe(true);
    expect(b3.holidays(2023)).toHaveLength(12);
  });

  it.each([
    ['2024-11-20', false, 'Black Consciousness Day, national from 2024'],
    ['2025-07-09', true, 'SP state holiday, traded since 2022'],
    ['2022-01-25', true, 'SP city anniversary, traded since 2022'],
    ['2021-01-25', false, 'SP city anniversary, closed until 2021'],
    ['2021-07-09', false, 'SP state holiday, closed until 2021'],
    ['2019-11-20', false, 'SP Black Consciousness Day, closed until 2021'],
    ['2020-11-20', true, 'SP moved it to May 2020; B3 traded on both dates'],
    ['2020-07-09', true, 'SP moved it to May 2020; B3 traded on both dates'],
    ['2020-06-11', false, 'Corpus Christi'],
    ['2025-03-03', false, 'Carnival Monday'],
    ['2025-03-04', false, 'Carnival Tuesday'],
    ['2025-03-05', true, 'Ash Wednesday opens late, still a session'],
    ['2025-04-18', false, 'Good Friday'],
    ['2025-06-19', false, 'Corpus Christi'],
    ['2024-12-24', false, 'Christmas Eve'],
    ['2024-12-31', false, "New Year's Eve"],
    ['2024-12-30', true, 'last Monday of 2024'],
    ['2025-07-12', false, 'a Saturday'],
    ['2025-07-13', false, 'a Sunday'],
    ['2025-07-14', true, 'an ordinary Monday'],
  ])('%s is a trading day: %s (%s)', (day, open) => {
    expect(b3.isTradingDay(day)).toBe(open);
  });
});

describe('previous and next trading day', () => {
  it.each([
    ['2025-07-14', '2025-07-11'], // Monday → Friday
    ['2025-07-15', '2025-07-14'],
    ['2025-03-05', '2025-02-28'], // Ash Wednesday → the Friday before Carnival
    ['2024-01-02', '2023-12-28'], // over 29 Dec (closed), the weekend and 1 Jan
    ['2024-11-21', '2024-11-19'],
    ['2025-07-13', '2025-07-11'], // from a Sunday
  ])('the session before %s is %s', (day, previous) => {
    expect(b3.previousTradingDay(day)).toBe(previous);
  });

  it.each([
    ['2023-12-28', '2024-01-02'],
    ['2025-02-28', '2025-03-05'],
    ['2025-04-17', '2025-04-22'], // Good Friday, weekend, Tiradentes Monday
  ])('the session after %s is %s', (day, next) => {
    expect(b3.nextTradingDay(day)).toBe(next);
  });

  it('refuses a malformed day', () => {
    expect(() => b3.previousTradingDay('2025-02-30')).toThrow('calendar: expected a YYYY-MM-DD day, got "2025-02-30"');
    expect(() => b3.isTradingDay('14/07/2025')).toThrow('calendar: expected a YYYY-MM-DD day, got "14/07/2025"');
  });

  it('stops with an error when a rule set closes everything', () => {
    const everyDay = (year: number): string[] => Array.from({ length: 366 }, (_, i) => addDays(`${year}-01-01`, i));
    const never = new TradingCalendar([{ name: 'every day', days: everyDay }]);
    expect(() => never.nextTradingDay('2025-01-01')).toThrow('calendar: no trading day within 31 days after, got 2025-01-01');
  });
});

describe('weekday', () => {
  it('counts from Sunday = 0', () => {
    expect([weekday('2025-07-13'), weekday('2025-07-14'), weekday('2025-07-19'), weekday('1970-01-01')]).toEqual([0, 1, 6, 4]);
  });
});

describe('sessionsBetween', () => {
  it.each([
    ['2025-04-07', '2025-04-07', 0],
    ['2025-04-04', '2025-04-07', 1], // Friday to Monday
    ['2025-04-05', '2025-04-07', 1], // Saturday to Monday
    ['2025-04-07', '2025-04-14', 5],
    ['2025-04-14', '2025-04-07', 5], // either order
    ['2025-04-07', '2025-04-15', 6],
    ['2025-04-17', '2025-04-22', 1], // Good Friday, weekend, Tiradentes Monday
  ])('%s to %s: %d sessions', (a, b, n) => {
    expect(b3.sessionsBetween(a, b, 5)).toBe(n);
  });

  it('agrees with the closes of 2022: the sessions after one day up to another, capped past atMost', () => {
    const open = sessions2022().filter(([, o]) => o).map(([d]) => d);
    const days = sessions2022().map(([d]) => d);
    for (let i = 0; i < days.length; i += 3) {
      for (const span of [0, 1, 4, 7, 9, 30]) {
        const [a, b] = [days[i], days[Math.min(i + span, days.length - 1)]];
        const expected = open.filter((d) => a < d && d <= b).length;
        expect([a, b, b3.sessionsBetween(a, b, 5)]).toEqual([a, b, Math.min(expected, 6)]);
      }
    }
  });

  it('stops early for a far day and ends even when a rule set closes everything', () => {
    expect(b3.sessionsBetween('2025-04-07', '9999-12-31', 5)).toBe(6);
    const everyDay = (year: number): string[] => Array.from({ length: 366 }, (_, i) => addDays(`${year}-01-01`, i));
    const never = new TradingCalendar([{ name: 'every day', days: everyDay }]);
    expect(never.sessionsBetween('2025-01-01', '2025-02-01', 5)).toBe(0);
    expect(never.sessionsBetween('2025-01-01', '2030-01-01', 5)).toBe(6);
  });
});

describe('B3 sessions in a range (a backfill)', () => {
  it('lists the sessions from one day to another, both included, skipping weekends and holidays', () => {
    // 15 Nov (Proclamation of the Republic) and 20 Nov (Black Consciousness, national from 2024) are closed.
    expect(b3.tradingDaysIn('2024-11-14', '2024-11-21')).toEqual(['2024-11-14', '2024-11-18', '2024-11-19', '2024-11-21']);
    expect(b3.tradingDaysIn('2024-11-15', '2024-11-17')).toEqual([]);
    expect(b3.tradingDaysIn('2024-11-08', '2024-11-08')).toEqual(['2024-11-08']);
  });

  it('agrees with the closes of 2022 over the whole year', () => {
    expect(b3.tradingDaysIn('2022-01-01', '2022-12-31')).toEqual(sessions2022().filter(([, o]) => o).map(([d]) => d));
  });

  it('refuses a range that runs backwards, in one line', () => {
    expect(() => b3.tradingDaysIn('2024-11-21', '2024-11-14')).toThrow('calendar: a range runs forward, got 2024-11-21 after 2024-11-14');
  });
});
