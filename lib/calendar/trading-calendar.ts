import { PipelineError } from '../errors';
import { addDays, isIsoDate, toEpochDays, type IsoDate } from './iso-date';
import { easterSunday } from './easter';

/**
 * A closure rule: the days of a year it closes, and the years it applies to (inclusive).
 * Declared as data so the calendar's history reads as a list, not as branches.
 */
export interface ClosureRule {
  readonly name: string;
  readonly fromYear?: number;
  readonly untilYear?: number;
  days(year: number): readonly IsoDate[];
}

const fixed = (monthDay: string) => (year: number): IsoDate[] => [`${year}-${monthDay}`];
const easterOffset = (offset: number) => (year: number): IsoDate[] => [addDays(easterSunday(year), offset)];

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: IsoDate): number {
  return (((toEpochDays(day) + 4) % 7) + 7) % 7;
}

const isWeekend = (day: IsoDate): boolean => weekday(day) === 0 || weekday(day) === 6;

/**
 * B3's closures for equities (renda variável), from its published holiday calendars:
 * - national holidays; Carnival Monday and Tuesday, Good Friday, Corpus Christi (Easter-based);
 * - Black Consciousness Day, a national holiday from 2024 (Lei 14.759/2023; B3 closed 2024-11-20);
 * - Christmas Eve, and New Year's Eve or, when 31 Dec is a weekend, the last weekday of the year
 *   (B3 2022: no session on 30 Dec; 2023: none on 29 Dec);
 * - São Paulo city/state holidays (25 Jan, 9 Jul, and 20 Nov in SP city since 2004) until 2021:
 *   B3 announced in Nov 2020 that it trades on them from 2022 (2025-07-09 had a session).
 * Ash Wednesday is a late-opening session, not a closure.
 */
const B3_CLOSURE_RULES: readonly ClosureRule[] = [
  { name: 'Confraternização Universal', days: fixed('01-01') },
  { name: 'Aniversário de São Paulo', untilYear: 2021, days: fixed('01-25') },
  { name: 'Carnaval (segunda)', days: easterOffset(-48) },
  { name: 'Carnaval (terça)', days: easterOffset(-47) },
  { name: 'Paixão de Cristo', days: easterOffset(-2) },
  { name: 'Tiradentes', days: fixed('04-21') },
  { name: 'Dia do Trabalho', days: fixed('05-01') },
  { name: 'Corpus Christi', days: easterOffset(60) },
  { name: 'Revolução Constitucionalista', untilYear: 2021, days: fixed('07-09') },
  { name: 'Independência', days: fixed('09-07') },
  { name: 'Nossa Senhora Aparecida', days: fixed('10-12') },
  { name: 'Finados', days: fixed('11-02') },
  { name: 'Proclamação da República', days: fixed('11-15') },
  { name: 'Consciência Negra (São Paulo)', fromYear: 2004, untilYear: 2021, days: fixed('11-20') },
  { name: 'Consciência Negra (nacional)', fromYear: 2024, days: fixed('11-20') },
  { name: 'Véspera de Natal', days: fixed('12-24') },
  { name: 'Natal', days: fixed('12-25') },
  {
    name: 'Véspera de Ano Novo (último dia útil)',
    days: (year) => {
      let day: IsoDate = `${year}-12-31`;
      while (isWeekend(day)) day = addDays(day, -1);
      return [day];
    },
  },
];

/**
 * Weekdays B3 traded although a rule above closes them. 2020: São Paulo moved its 9 Jul and
 * 20 Nov holidays to May (Covid); B3 traded on both the May dates and the original ones
 * (B3 ofício of 2020-06-08).
 */
const B3_SESSIONS_DESPITE_RULES: readonly IsoDate[] = ['2020-07-09', '2020-11-20'];

function assertDay(day: IsoDate): void {
  if (!isIsoDate(day)) throw new PipelineError(`calendar: expected a YYYY-MM-DD day, got ${JSON.stringify(day)}`);
}

/** Which days a market has a session: weekdays minus its closure rules, plus declared exceptions. */
export class TradingCalendar {
  private readonly closedByYear = new Map<number, ReadonlySet<IsoDate>>();
  private readonly open: ReadonlySet<IsoDate>;

  constructor(
    private readonly rules: readonly ClosureRule[],
    sessionsDespiteRules: readonly IsoDate[] = [],
  ) {
    this.open = new Set(sessionsDespiteRules);
  }

  /** Weekdays without a session in `year`, sorted (weekends are not listed). */
  holidays(year: number): IsoDate[] {
    return [...this.closed(year)].sort();
  }

  isTradingDay(day: IsoDate): boolean {
    assertDay(day);
    return !isWeekend(day) && !this.closed(Number(day.slice(0, 4))).has(day);
  }

  /** The last session strictly before `day` (the pregão D-1 of a portfolio dated `day`). */
  previousTradingDay(day: IsoDate): IsoDate {
    return this.step(day, -1);
  }

  /** The first session strictly after `day`. */
  nextTradingDay(day: IsoDate): IsoDate {
    return this.step(day, 1);
  }

  /**
   * How many sessions apart two days are: the sessions after the earlier day up to and including
   * the later one (0 for the same day, 1 from a Friday to the Monday after). Counting stops once it
   * passes `atMost` and then returns atMost + 1, so a day centuries away costs no more than a near one.
   */
  sessionsBetween(a: IsoDate, b: IsoDate, atMost: number): number {
    assertDay(a);
    assertDay(b);
    const [from, to] = a <= b ? [a, b] : [b, a];
    let count = 0;
    // Like step(), a bound on the days scanned: even a rule set without sessions ends, as "too far".
    for (let d = addDays(from, 1), days = 0; d <= to; d = addDays(d, 1), days++) {
      if (this.isTradingDay(d)) count++;
      if (count > atMost || days >= 31 * (atMost + 1)) return atMost + 1;
    }
    return count;
  }

  /** Every session from `from` to `to`, both included, in order (a backfill's range). */
  tradingDaysIn(from: IsoDate, to: IsoDate): IsoDate[] {
    assertDay(from);
    assertDay(to);
    if (from > to) throw new PipelineError(`calendar: a range runs forward, got ${from} after ${to}`);
    const days: IsoDate[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) if (this.isTradingDay(d)) days.push(d);
    return days;
  }

  private step(day: IsoDate, direction: 1 | -1): IsoDate {
    assertDay(day);
    let d = addDays(day, direction);
    // No market closes for more than a few days; the bound turns a bad rule set into an error.
    for (let i = 0; i < 31; i++, d = addDays(d, direction)) {
      if (this.isTradingDay(d)) return d;
    }
    throw new PipelineError(`calendar: no trading day within 31 days ${direction < 0 ? 'before' : 'after'}, got ${day}`);
  }

  private closed(year: number): ReadonlySet<IsoDate> {
    let set = this.closedByYear.get(year);
    if (!set) {
      const days = this.rules
        .filter((r) => (r.fromYear ?? -Infinity) <= year && year <= (r.untilYear ?? Infinity))
        .flatMap((r) => r.days(year))
        .filter((d) => !isWeekend(d) && !this.open.has(d));
      set = new Set(days);
      this.closedByYear.set(year, set);
    }
    return set;
  }
}

/** B3's equities calendar (checked against every day of 2022 in the fixtures). */
export const b3TradingCalendar = new TradingCalendar(B3_CLOSURE_RULES, B3_SESSIONS_DESPITE_RULES);
