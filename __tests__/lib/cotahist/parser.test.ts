import { CotahistFormatError } from '../../../lib/cotahist/errors';
import { digitsValue, fieldLatin1 } from '../../../lib/cotahist/fields';
import { CotahistParser, NUMERIC_QUOTE_FIELDS } from '../../../lib/cotahist/parser';
import { QUOTE_FIELDS } from '../../../lib/cotahist/layout';
import type { CotahistQuote } from '../../../lib/cotahist/quote';
import {
  TXT_2016_01_04_TRUNCATED,
  TXT_2021_03_25,
  ZIP_2021_06_25,
  ZIP_2024_11_08,
  cotahistBytes,
  joinLines,
  lines,
  memberText,
  readAll,
  setPositions,
} from './cotahist-fixtures';

const find = (quotes: CotahistQuote[], ticker: string, market = 10) => quotes.find((q) => q.ticker === ticker && q.market_type === market);

/** The refusal of a body, as the typed error (fails the test when the body parses). */
function refusal(bytes: Uint8Array, session: string | undefined): CotahistFormatError {
  try {
    readAll(bytes, session);
  } catch (error) {
    expect(error).toBeInstanceOf(CotahistFormatError);
    expect((error as Error).message).not.toMatch(/[\r\n]/);
    return error as CotahistFormatError;
  }
  throw new Error('test: expected a refusal, the file parsed');
}

describe('COTAHIST parser on the real files (expectations read from B3 layout)', () => {
  const nov8 = readAll(cotahistBytes(ZIP_2024_11_08), '2024-11-08');

  it('reads the zip as B3 served it: header, every 01 record, the trailer count', () => {
    expect(nov8.read).toEqual({
      fileName: 'COTAHIST.2024',
      origin: 'BOVESPA',
      generatedOn: '2024-11-08',
      session: '2024-11-08',
      sessions: ['2024-11-08'],
      totalRecords: 12_228,
      quotes: 12_226,
      member: 'COTAHIST_D08112024.TXT',
    });
    expect(nov8.quotes).toHaveLength(12_226);
  });

  it('PETR4 on 2024-11-08: open 35.85, high 36.32, low 35.54, close 36.18, 80,702 trades, 49,792,700 shares, R$ 1,790,870,570.00', () => {
    expect(find(nov8.quotes, 'PETR4')).toEqual({
      session_date: '2024-11-08',
      bdi_code: '02',
      ticker: 'PETR4',
      market_type: 10,
      company_name: 'PETROBRAS',
      specification: 'PN      N2',
      forward_term_days: null,
      currency: 'R$',
      open_price: 3585n,
      high_price: 3632n,
      low_price: 3554n,
      avg_price: 3596n,
      close_price: 3618n,
      best_bid_price: 3617n,
      best_ask_price: 3618n,
      trades: 80_702,
      shares_traded: 49_792_700n,
      traded_volume: 179_087_057_000n,
      strike_price: 0n,
      strike_correction: 0,
      expiration_date: '9999-12-31',
      quote_factor: 1,
      strike_points: 0n,
      isin: 'BRPETRACNPR6',
      distribution_number: 214,
    });
  });

  it('an option (PETRK113, TPMERC 070): strike 10.40, expiry 2024-11-14, term "000"; a per-thousand quote (FNAM11, FATCOT 1000)', () => {
    expect(find(nov8.quotes, 'PETRK113', 70)).toMatchObject({
      bdi_code: '78',
      forward_term_days: '000',
      open_price: 2540n,
      best_bid_price: 0n,
      trades: 1,
      shares_traded: 200n,
      traded_volume: 508_000n,
      strike_price: 1040n,
      expiration_date: '2024-11-14',
      quote_factor: 1,
      distribution_number: 213,
    });
    expect(find(nov8.quotes, 'FNAM11')).toMatchObject({ close_price: 36n, trades: 34, shares_traded: 138_390_000n, traded_volume: 4_794_764n, quote_factor: 1000 });
  });

  it('LF (2021-03-25) and CRLF (2021-06-25) line ends; every market, forward terms apart', () => {
    const mar25 = readAll(cotahistBytes(TXT_2021_03_25), '2021-03-25');
    expect(mar25.read).toMatchObject({ totalRecords: 6_214, quotes: 6_212, member: null });
    expect(find(mar25.quotes, 'PETR4')).toMatchObject({ open_price: 2270n, close_price: 2320n, trades: 82_696, shares_traded: 79_214_500n });
    expect(new Set(mar25.quotes.map((q) => q.market_type))).toEqual(new Set([10, 12, 17, 20, 30, 70, 80]));
    // The forward market lists one record per term of a ticker (ABCB4T at 18 and 90 days).
    expect(mar25.quotes.filter((q) => q.ticker === 'ABCB4T').map((q) => q.forward_term_days)).toEqual(['018', '090']);
    const jun25 = readAll(cotahistBytes(ZIP_2021_06_25), '2021-06-25');
    expect(jun25.read).toMatchObject({ totalRecords: 7_520, quotes: 7_518 });
    expect(find(jun25.quotes, 'PETR4')).toMatchObject({ close_price: 2910n, trades: 78_340 });
  });

  it('the same quotes whatever the chunk size and line ends', () => {
    const text = memberText(ZIP_2024_11_08);
    const crlf = joinLines(lines(text), '\r\n');
    expect(readAll(text, '2024-11-08', ['text'], 997).quotes).toEqual(nov8.quotes);
    expect(readAll(crlf, '2024-11-08', ['text'], 1).quotes.length).toBe(12_226);
  });
});

describe('COTAHIST refusals, each a real file with one change: line and field named, nothing returned', () => {
  const text = lines(cotahistBytes(TXT_2021_03_25));
  const edit = (lineNo: number, change: (l: string) => string) => joinLines(text.map((l, i) => (i === lineNo - 1 ? change(l) : l)));
  const last = text.length;

  it('a truncated download (B3 file cut after tickers A–C; its trailer says 1,745)', () => {
    const e = refusal(cotahistBytes(TXT_2016_01_04_TRUNCATED), '2016-01-04');
    expect(e.message).toBe('cotahist: line 506 field TOTREG: the trailer counts every record, the file has 506, got 1745');
  });

  it('a file cut before its trailer', () => {
    expect(refusal(joinLines(text.slice(0, 3000)), '2021-03-25').message).toBe(
      'cotahist: field TIPREG: no trailer record 99, the file is truncated, got 3000 lines',
    );
  });

  it('a wrong trailer count', () => {
    const e = refusal(edit(last, (l) => setPositions(l, 32, 42, '00000006213')), '2021-03-25');
    expect(e.message).toBe('cotahist: line 6214 field TOTREG: the trailer counts every record, the file has 6214, got 6213');
  });

  it('a record of the wrong length', () => {
    const e = refusal(edit(100, (l) => l.slice(0, 244)), '2021-03-25');
    expect([e.line, e.field, e.message]).toEqual([100, 'record', 'cotahist: line 100 field record: a record is 245 characters, got 244']);
  });

  it('a non-numeric price', () => {
    const e = refusal(edit(50, (l) => setPositions(l, 109, 109, 'A')), '2021-03-25');
    expect([e.line, e.field]).toEqual([50, 'PREULT']);
    expect(e.message).toMatch(/^cotahist: line 50 field PREULT: not a number, got "A\d{12}"$/);
  });

  it('a session other than the one asked for', () => {
    expect(refusal(cotahistBytes(TXT_2021_03_25), '2021-03-26').message).toBe(
      'cotahist: line 2 field DATPRE: not the session asked for (2021-03-26), got 2021-03-25',
    );
    expect(refusal(edit(4000, (l) => setPositions(l, 3, 10, '20210324')), '2021-03-25').line).toBe(4000);
  });

  it('a saved file asked for no session holds its own: the first record sets it, every other must match', () => {
    expect(readAll(cotahistBytes(TXT_2021_03_25), undefined).read.session).toBe('2021-03-25');
    expect(refusal(edit(4000, (l) => setPositions(l, 3, 10, '20210324')), undefined).message).toBe(
      "cotahist: line 4000 field DATPRE: not the file's session (2021-03-25), got 2021-03-24",
    );
  });

  it('duplicated (ticker, market) records', () => {
    const petr = text.findIndex((l) => l.slice(12, 24).trim() === 'PETR4' && l.slice(24, 27) === '010');
    const dup = [...text.slice(0, petr + 1), text[petr], ...text.slice(petr + 1)];
    dup[dup.length - 1] = setPositions(dup[dup.length - 1], 32, 42, '00000006215');
    expect(refusal(joinLines(dup), '2021-03-25').message).toBe(
      `cotahist: line ${petr + 2} field CODNEG: duplicated (ticker, market) of line ${petr + 1}, got (PETR4, 010)`,
    );
  });

  it('an impossible date, a record type B3 does not define, a header that is not B3s', () => {
    expect(refusal(edit(10, (l) => setPositions(l, 203, 210, '20241131')), '2021-03-25').message).toBe(
      'cotahist: line 10 field DATVEN: a date is AAAAMMDD, got "20241131"',
    );
    expect(refusal(edit(10, (l) => setPositions(l, 1, 2, '02')), '2021-03-25').field).toBe('TIPREG');
    expect(refusal(edit(1, (l) => setPositions(l, 16, 23, 'BMF     ')), '2021-03-25').message).toBe(
      'cotahist: line 1 field CODORI: the origin is BOVESPA, got "BMF"',
    );
  });
});

describe('records: the checked record bytes, for a column writer', () => {
  it('hands over every 01 record once, byte for byte the line, with the same count as onQuote', () => {
    const body = memberText(ZIP_2024_11_08);
    const records: string[] = [];
    const sessions = new Set<string>();
    const parser = new CotahistParser({
      session: '2024-11-08',
      records: {
        addRecords: (r) => {
          sessions.add(r.session);
          for (let i = 0; i < r.count; i++) records.push(Buffer.from(r.bytes.subarray(r.starts[i], r.starts[i] + 245)).toString('latin1'));
        },
      },
    });
    for (let i = 0; i < body.length; i += 10_000) parser.push(body.subarray(i, i + 10_000));
    const summary = parser.end();
    const quoteLines = lines(body).filter((l) => l.startsWith('01'));
    expect(records).toHaveLength(summary.quotes);
    expect(records).toEqual(quoteLines);
    expect([...sessions]).toEqual(['2024-11-08']);
    expect(summary.quotes).toBe(readAll(cotahistBytes(ZIP_2024_11_08), '2024-11-08').quotes.length);
  });

  it('hands over nothing of a record it refuses: a non-numeric price stops at its line', () => {
    const all = lines(cotahistBytes(TXT_2021_03_25));
    all[5] = setPositions(all[5], 109, 121, '00000000035A5');
    const records: string[] = [];
    const parser = new CotahistParser({
      session: '2021-03-25',
      records: { addRecords: (r) => r.starts.subarray(0, r.count).forEach((at) => records.push(Buffer.from(r.bytes.subarray(at, at + 245)).toString('latin1'))) },
    });
    // Records are handed over a chunk at a time: lines 2-5 in the first, the refused line 6 in the second.
    parser.push(joinLines(all.slice(0, 5)));
    expect(() => parser.push(joinLines(all.slice(5)))).toThrow('cotahist: line 6 field PREULT: not a number, got "00000000035A5"');
    expect(records).toEqual(all.slice(1, 5));
  });

  it("reads every numeric field's value four digits at a time, equal to its digits, and past 2^53 a value that is not safe", () => {
    const all = lines(cotahistBytes(TXT_2021_03_25));
    // One record's VOLTOT past 2^53 (18 digits): the value read must not pass for exact.
    all[3] = setPositions(all[3], 171, 188, '900719925474099300');
    const seen: { digits: string[]; numbers: number[] }[] = [];
    const parser = new CotahistParser({
      session: '2021-03-25',
      records: {
        addRecords: ({ bytes, view, starts, count }) => {
          for (let i = 0; i < count; i++) {
            const record = bytes.subarray(starts[i], starts[i] + 245);
            seen.push({ digits: NUMERIC_QUOTE_FIELDS.map((f) => fieldLatin1(record, f, false)), numbers: NUMERIC_QUOTE_FIELDS.map((f) => digitsValue(view, starts[i], f)) });
          }
        },
      },
    });
    parser.push(joinLines(all));
    parser.end();
    expect(seen.length).toBeGreaterThan(1000);
    const volume = NUMERIC_QUOTE_FIELDS.indexOf(QUOTE_FIELDS.VOLTOT);
    expect(Number.isSafeInteger(seen[2].numbers[volume])).toBe(false);
    let safe = 0;
    for (const { digits, numbers } of seen) {
      digits.forEach((d, k) => {
        if (!Number.isSafeInteger(numbers[k])) return;
        expect(BigInt(numbers[k])).toBe(BigInt(d));
        safe += 1;
      });
    }
    expect(safe).toBe(seen.length * NUMERIC_QUOTE_FIELDS.length - 1);
  });

  it('finds a record by its length only when no line end hides in it: two short lines are two lines, refused as such', () => {
    const all = lines(cotahistBytes(TXT_2021_03_25));
    const record = all[2];
    // Line 3 split in two so that the 245 bytes from its start end at a line end: the LF inside
    // falls in a text field (NOMRES), then in a number (PREABE).
    // 0-based 30 is in NOMRES (28-39), 60 in PREABE (57-69).
    for (const cut of [30, 60]) {
      const body = joinLines([...all.slice(0, 2), record.slice(0, cut), record.slice(cut + 1), ...all.slice(3)]);
      const text = Buffer.from(body).toString('latin1');
      const start = text.indexOf(record.slice(0, cut));
      // The 245 bytes from line 3's start are followed by a line end, and hold one.
      expect([text[start + cut], text[start + 245]]).toEqual(['\n', '\n']);
      const parser = new CotahistParser({ session: '2021-03-25', records: { addRecords: () => undefined } });
      expect(() => parser.push(body)).toThrow(`cotahist: line 3 field record: a record is 245 characters, got ${cut}`);
    }
  });

  it('refuses a byte that is not a digit anywhere in a numeric field, naming the field (the checks read four bytes at a time)', () => {
    const all = lines(cotahistBytes(TXT_2021_03_25));
    const base = joinLines([all[0], all[1], setPositions(all[all.length - 1], 32, 42, '00000000003')]);
    const recordAt = all[0].length + 1;
    const parse = (body: Uint8Array) => {
      const parser = new CotahistParser({ records: { addRecords: () => undefined } });
      parser.push(body);
      return parser.end();
    };
    expect(parse(base).quotes).toBe(1);
    const refusedAt = (p: number, c: number, field: string) => {
      const body = base.slice();
      body[recordAt + p - 1] = c;
      try {
        parse(body);
      } catch (error) {
        if (error instanceof CotahistFormatError && error.field === field) return;
        throw new Error(`test: byte ${c} at ${p} (${field}): ${String(error)}`);
      }
      throw new Error(`test: byte ${c} at position ${p} (${field}) was taken for a digit`);
    };
    const notDigits = Array.from({ length: 256 }, (_, c) => c).filter((c) => (c < 0x30 || c > 0x39) && c !== 0x0a); // a line feed cuts the record instead
    // Every such byte in each of PREABE's 13 positions: the three words' four lanes and the last digit alone.
    for (let p = QUOTE_FIELDS.PREABE.start; p <= QUOTE_FIELDS.PREABE.end; p++) for (const c of notDigits) refusedAt(p, c, 'PREABE');
    // Bytes next to the digits, and with the high bit, at every position of every numeric field.
    const edges = [0x00, 0x0d, 0x20, 0x2f, 0x3a, 0x3f, 0x40, 0x70, 0xb0, 0xb9, 0xf9, 0xfa, 0xff];
    let checked = 0;
    for (const f of NUMERIC_QUOTE_FIELDS) {
      for (let p = f.start; p <= f.end; p++) {
        for (const c of edges) {
          if (c === 0x0d && p === 245) continue; // a CR last is the line's CRLF
          refusedAt(p, c, f.field);
          checked += 1;
        }
      }
    }
    expect(checked).toBe(NUMERIC_QUOTE_FIELDS.reduce((n, f) => n + f.end - f.start + 1, 0) * edges.length - 1);
  });

  it('a parser with neither onQuote nor records is a mistake, said at once', () => {
    expect(() => new CotahistParser({})).toThrow('cotahist: a parser needs onQuote or records, got neither');
  });
});
