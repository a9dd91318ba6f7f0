import { zipSync } from 'fflate';
import { CotahistBodyReader, type CotahistRead } from '../../../lib/cotahist/body';
import { CotahistFormatError } from '../../../lib/cotahist/errors';
import { CotahistParser } from '../../../lib/cotahist/parser';
import type { CotahistQuote } from '../../../lib/cotahist/quote';
import { cotahistPeriodOf } from '../../../lib/cotahist/source';
import {
  TXT_2021_03_23,
  TXT_2021_03_25,
  TXT_2021_03_26,
  cotahistBytes,
  joinLines,
  lines,
  monthlyCotahist,
  readAll,
  setPositions,
} from './cotahist-fixtures';

/** Reads a body as a replay does: no session asked for, B3's file name given. */
function replay(bytes: Uint8Array, fileName: string, chunkSize = 64 * 1024): { read: CotahistRead; perSession: Map<string, number> } {
  const perSession = new Map<string, number>();
  const reader = new CotahistBodyReader({
    accept: ['zip', 'text'],
    fileName,
    onQuote: (q: CotahistQuote) => perSession.set(q.session_date, (perSession.get(q.session_date) ?? 0) + 1),
  });
  for (let i = 0; i < bytes.length; i += chunkSize) reader.push(bytes.subarray(i, i + chunkSize));
  return { read: reader.end(), perSession };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CotahistFormatError);
    return (error as Error).message;
  }
  throw new Error('test: expected a refusal, the file parsed');
}

// Records of each real daily file: every line but its header and trailer.
const DAILY_QUOTES = { '2021-03-23': 6055, '2021-03-25': 6212, '2021-03-26': 6100 };

describe('B3 file names: which period a COTAHIST covers', () => {
  it.each([
    ['COTAHIST_M032021.ZIP', '2021-03'],
    ['/some/dir/cotahist_m112024.txt', '2024-11'],
    ['COTAHIST_A2024.ZIP', '2024'],
    ['COTAHIST_A2024', '2024'],
    ['COTAHIST_D25032021.TXT', null],
    ['damaged.TXT', null],
    ['COTAHIST_A20245.ZIP', null],
  ])('%s -> %s', (name, period) => expect(cotahistPeriodOf(name)).toBe(period));
});

describe('a monthly or yearly COTAHIST: several sessions, one after the other', () => {
  const monthly = monthlyCotahist();

  it('a monthly text, named so, yields every session in order with its own records', () => {
    const { read, perSession } = replay(monthly, 'COTAHIST_M032021.TXT');
    expect(read.sessions).toEqual(['2021-03-23', '2021-03-25', '2021-03-26']);
    expect(Object.fromEntries(perSession)).toEqual(DAILY_QUOTES);
    expect(read).toMatchObject({ session: '2021-03-23', quotes: 18_367, totalRecords: 18_369, member: null });
  });

  it('a monthly zip: its member name says so; a yearly name takes the same file; LF or CRLF, any chunking', () => {
    const zip = zipSync({ 'COTAHIST_M032021.TXT': monthly });
    expect(replay(zip, 'saved.zip', 1000).read).toMatchObject({ sessions: ['2021-03-23', '2021-03-25', '2021-03-26'], member: 'COTAHIST_M032021.TXT' });
    const lf = monthlyCotahist(undefined, '\n');
    expect(Object.fromEntries(replay(lf, 'COTAHIST_A2021.TXT', 7).perSession)).toEqual(DAILY_QUOTES);
  });

  it('each session of it equals the daily file it was built from, record for record', () => {
    const fromMonthly: CotahistQuote[] = [];
    const reader = new CotahistBodyReader({ accept: ['text'], fileName: 'COTAHIST_M032021.TXT', onQuote: (q) => fromMonthly.push(q) });
    reader.push(monthly);
    reader.end();
    const daily = readAll(cotahistBytes(TXT_2021_03_25), '2021-03-25').quotes;
    expect(fromMonthly.filter((q) => q.session_date === '2021-03-25')).toEqual(daily);
  });

  it('under any other name it is one session: the daily refusals hold', () => {
    expect(refusal(() => replay(monthly, 'damaged.TXT'))).toBe("cotahist: line 6057 field DATPRE: not the file's session (2021-03-23), got 2021-03-25");
    expect(refusal(() => replay(zipSync({ 'COTAHIST_D23032021.TXT': monthly }), 'COTAHIST_M032021.ZIP'))).toBe(
      "cotahist: line 6057 field DATPRE: not the file's session (2021-03-23), got 2021-03-25",
    );
    // A session asked for (a live fetch) is always one session, whatever the member's name.
    expect(refusal(() => readAll(zipSync({ 'COTAHIST_M032021.TXT': monthly }), '2021-03-23'))).toBe(
      'cotahist: line 6057 field DATPRE: not the session asked for (2021-03-23), got 2021-03-25',
    );
  });

  it('refuses a session outside the named period, and sessions out of order', () => {
    expect(refusal(() => replay(monthly, 'COTAHIST_M042021.TXT'))).toBe("cotahist: line 2 field DATPRE: not in the file's period (2021-04), got 2021-03-23");
    const backwards = monthlyCotahist([TXT_2021_03_25, TXT_2021_03_23]);
    expect(refusal(() => replay(backwards, 'COTAHIST_M032021.TXT'))).toBe(
      'cotahist: line 6214 field DATPRE: sessions come in ascending order, got 2021-03-23 after 2021-03-25',
    );
    // A session that comes back after another is out of order too.
    const back = monthlyCotahist([TXT_2021_03_23, TXT_2021_03_25, TXT_2021_03_23]);
    expect(refusal(() => replay(back, 'COTAHIST_M032021.TXT'))).toBe(
      'cotahist: line 12269 field DATPRE: sessions come in ascending order, got 2021-03-23 after 2021-03-25',
    );
  });

  it('refuses a duplicated (ticker, market) within one session; the same instrument on the next session is not one', () => {
    const ls = lines(monthly);
    // Line 3 (the 23rd's second record) repeated as line 4: a duplicate inside the 23rd.
    const dup = [...ls.slice(0, 3), ls[2], ...ls.slice(3)];
    dup[dup.length - 1] = setPositions(dup[dup.length - 1], 32, 42, String(dup.length).padStart(11, '0'));
    expect(refusal(() => replay(joinLines(dup), 'COTAHIST_M032021.TXT'))).toMatch(/^cotahist: line 4 field CODNEG: duplicated \(ticker, market\) of line 3, got /);
  });

  it('refuses a wrong trailer count and a cut file, as for a daily file', () => {
    const ls = lines(monthly);
    const wrong = [...ls.slice(0, -1), setPositions(ls[ls.length - 1], 32, 42, '00000018368')];
    expect(refusal(() => replay(joinLines(wrong), 'COTAHIST_M032021.TXT'))).toBe(
      'cotahist: line 18369 field TOTREG: the trailer counts every record, the file has 18369, got 18368',
    );
    expect(refusal(() => replay(joinLines(ls.slice(0, 9000)), 'COTAHIST_M032021.TXT'))).toBe(
      'cotahist: field TIPREG: no trailer record 99, the file is truncated, got 9000 lines',
    );
  });

  it('a period is YYYY or YYYY-MM, and never with a session asked for', () => {
    const onQuote = () => undefined;
    expect(() => new CotahistParser({ within: '2021-13', onQuote })).toThrow(
      'cotahist: field DATPRE: a file of several sessions is within a YYYY or YYYY-MM period and asked for no session, got 2021-13',
    );
    expect(() => new CotahistParser({ within: '2021', session: '2021-03-25', onQuote })).toThrow(/asked for no session, got 2021$/);
  });

  it('a daily file replayed under its own name is its one session', () => {
    expect(replay(cotahistBytes(TXT_2021_03_26), TXT_2021_03_26).read.sessions).toEqual(['2021-03-26']);
  });
});
