import { B3FormatError, B3ValidationError } from '../../../lib/b3/errors';
import { parsePortfolioJsonPages, readJsonPaging } from '../../../lib/b3/portfolio-json';
import { CLOUDFLARE_HTML, ENUS_JSON, PTBR_JSON, cloneJson, fixtureUtf8, thrown } from './b3-fixtures';

type Body = ReturnType<typeof cloneJson>;
const parseClone = (body: Body) => parsePortfolioJsonPages([JSON.stringify(body)], 'IBOV');

describe('parsePortfolioJsonPages on the en-us capture of 2025-04-07', () => {
  const snapshot = parsePortfolioJsonPages([fixtureUtf8(ENUS_JSON)], 'ibov');

  it('reads the header: date MM/DD/YY, total, reductor, language, source', () => {
    expect(snapshot.indexCode).toBe('IBOV');
    expect(snapshot.portfolioDate).toBe('2025-04-07');
    expect(snapshot.totalTheoreticalQty).toBe(99_015_750_716);
    expect(snapshot.reductor).toBe(16_036_751.16744128);
    expect(snapshot.language).toBe('en-us');
    expect(snapshot.source).toBe('json-api');
  });

  it('reads every row, first and last exactly, spaces in type collapsed', () => {
    expect(snapshot.rows).toHaveLength(87);
    expect(snapshot.rows[0]).toEqual({
      ticker: 'WEGE3', asset: 'WEG', shareType: 'ON NM', sector: 'Bens Indls / Máqs e Equips',
      theoreticalQty: 1_243_177_587, weightPct: 2.663, sectorWeightPct: 2.663,
    });
    expect(snapshot.rows[86]).toEqual({
      ticker: 'TAEE11', asset: 'TAESA', shareType: 'UNT N2', sector: 'Utilidade Públ / Energ Elétrica',
      theoreticalQty: 218_568_234, weightPct: 0.368, sectorWeightPct: 11.917,
    });
  });

  it('keeps a company with several tickers as several rows', () => {
    expect(snapshot.rows.filter((r) => r.ticker.startsWith('BBDC')).map((r) => r.ticker)).toEqual(['BBDC3', 'BBDC4']);
  });
});

describe('parsePortfolioJsonPages on the pt-br capture of 2022-12-08', () => {
  const snapshot = parsePortfolioJsonPages([fixtureUtf8(PTBR_JSON)], 'IBOV');

  it('reads the header: date DD/MM/YY, total, reductor, language', () => {
    expect(snapshot.portfolioDate).toBe('2022-12-08');
    expect(snapshot.totalTheoreticalQty).toBe(101_053_551_382);
    expect(snapshot.reductor).toBe(18_553_794.8744595);
    expect(snapshot.language).toBe('pt-br');
  });

  it('reads every row and keeps U+FFFD-damaged names as they are', () => {
    expect(snapshot.rows).toHaveLength(92);
    expect(snapshot.rows[0]).toEqual({
      ticker: 'WEGE3', asset: 'WEG', shareType: 'ON NM', sector: 'Bens Indls / M\uFFFDqs e Equips',
      theoreticalQty: 1_481_593_024, weightPct: 2.728, sectorWeightPct: 2.728,
    });
    expect(snapshot.rows[91]).toEqual({
      ticker: 'TAEE11', asset: 'TAESA', shareType: 'UNT N2', sector: 'Utilidade P\uFFFDbl / Energ El\uFFFDtrica',
      theoreticalQty: 218_568_234, weightPct: 0.382, sectorWeightPct: 9.561,
    });
    expect(snapshot.rows.find((r) => r.ticker === 'ECOR3')?.shareType).toBe('ON ED NM');
  });
});

describe('several pages', () => {
  function split(at: number): string[] {
    const whole = cloneJson(ENUS_JSON);
    const page = (n: number, results: Body['results']): string =>
      JSON.stringify({ ...whole, page: { ...whole.page, pageNumber: n, pageSize: at, totalPages: 2 }, results });
    return [page(1, whole.results.slice(0, at)), page(2, whole.results.slice(at))];
  }

  it('merges pages in order into the same rows as one page', () => {
    const merged = parsePortfolioJsonPages(split(50), 'IBOV');
    const single = parsePortfolioJsonPages([fixtureUtf8(ENUS_JSON)], 'IBOV');
    expect(merged.rows).toHaveLength(87);
    expect(merged.rows[50].ticker).toBe(single.rows[50].ticker);
    expect(merged).toEqual(single);
  });

  it('reads the paging of each page', () => {
    const [one, two] = split(50);
    expect(readJsonPaging(one)).toEqual({ pageNumber: 1, totalPages: 2, totalRecords: 87 });
    expect(readJsonPaging(two)).toEqual({ pageNumber: 2, totalPages: 2, totalRecords: 87 });
  });

  it('refuses fewer pages than totalPages', () => {
    const e = thrown(() => parsePortfolioJsonPages(split(50).slice(0, 1), 'IBOV'));
    expect(e).toBeInstanceOf(B3ValidationError);
    expect(e.message).toBe('b3: page.totalPages: announces 2 pages, got 1 bodies');
  });

  it('refuses pages out of order', () => {
    const e = thrown(() => parsePortfolioJsonPages(split(50).reverse(), 'IBOV'));
    expect(e.message).toBe('b3: page.pageNumber: body 1 should be page 1, got page 2');
  });

  it('refuses pages of two different portfolio dates', () => {
    const [one, two] = split(50);
    const other = JSON.parse(two);
    other.header.date = '04/08/25';
    const e = thrown(() => parsePortfolioJsonPages([one, JSON.stringify(other)], 'IBOV'));
    expect(e).toBeInstanceOf(B3ValidationError);
    expect((e as B3ValidationError).field).toBe('header.date');
    expect(e.message).toBe('b3: header.date: page 1 is dated "04/07/25", got "04/08/25" on page 2');
  });
});

describe('readJsonPaging', () => {
  it('reads the paging of the capture', () => {
    expect(readJsonPaging(fixtureUtf8(PTBR_JSON))).toEqual({ pageNumber: 1, totalPages: 1, totalRecords: 92 });
  });

  it('refuses a Cloudflare challenge page', () => {
    const e = thrown(() => readJsonPaging(fixtureUtf8(CLOUDFLARE_HTML)));
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected a JSON portfolio, got an HTML page titled "Just a moment..." (Cloudflare challenge?)');
  });

  it('refuses text that is not JSON', () => {
    const e = thrown(() => readJsonPaging('Service Unavailable'));
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected a JSON portfolio, got text that is not JSON: "Service Unavailable"');
  });

  it('refuses JSON of another shape', () => {
    const e = thrown(() => readJsonPaging('{"message":"error"}'));
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected a JSON portfolio with page and results, got an object with keys [message]');
  });

  it('refuses a paging without totalPages', () => {
    const body = cloneJson(ENUS_JSON);
    delete body.page.totalPages;
    expect(thrown(() => readJsonPaging(JSON.stringify(body))).message).toBe('b3: expected a JSON portfolio, got page.totalPages missing');
  });
});

describe('refusals, each a clone of a capture with one field changed', () => {
  function refusal(change: (body: Body) => void, name = ENUS_JSON): B3ValidationError {
    const body = cloneJson(name);
    change(body);
    const e = thrown(() => parseClone(body));
    expect(e).toBeInstanceOf(B3ValidationError);
    return e as B3ValidationError;
  }

  it('the HTML page through the whole parser', () => {
    expect(() => parsePortfolioJsonPages([fixtureUtf8(CLOUDFLARE_HTML)], 'IBOV')).toThrow(B3FormatError);
  });

  it('no rows', () => {
    const e = refusal((b) => { b.results = []; b.page.totalRecords = 0; });
    expect([e.field, e.row, e.message]).toEqual(['results', null, 'b3: results: no rows, got 0']);
  });

  it('a missing field', () => {
    const e = refusal((b) => { delete b.results[3].asset; });
    expect([e.field, e.row, e.message]).toEqual(['asset', 'AZUL4', 'b3: row AZUL4 field asset: missing or empty, got undefined']);
  });

  it('a null field', () => {
    const e = refusal((b) => { b.results[0].part = null; });
    expect([e.field, e.row, e.message]).toEqual(['part', 'WEGE3', 'b3: row WEGE3 field part: missing or empty, got null']);
  });

  it('a missing header total', () => {
    const e = refusal((b) => { delete b.header.theoricalQty; });
    expect([e.field, e.row]).toEqual(['header.theoricalQty', null]);
  });

  it('a quantity that does not parse', () => {
    const e = refusal((b) => { b.results[1].theoricalQty = '734,631,8O1'; });
    expect([e.field, e.row, e.message]).toEqual([
      'theoricalQty', 'EMBR3', 'b3: row EMBR3 field theoricalQty: not a en-us whole number within safe range, got "734,631,8O1"',
    ]);
  });

  it('a quantity beyond safe integers', () => {
    const e = refusal((b) => { b.results[1].theoricalQty = '9,007,199,254,740,993'; });
    expect([e.field, e.row]).toEqual(['theoricalQty', 'EMBR3']);
  });

  it('a weight that does not parse', () => {
    const e = refusal((b) => { b.results[2].part = '0.1x7'; });
    expect([e.field, e.row]).toEqual(['part', 'POMO4']);
  });

  it('an impossible date', () => {
    const e = refusal((b) => { b.header.date = '02/30/25'; });
    expect([e.field, e.row, e.message]).toEqual(['header.date', null, 'b3: header.date: not a real en-us date (MM/DD/YY), got "02/30/25"']);
  });

  it('a pt-br date in an en-us body', () => {
    const e = refusal((b) => { b.header.date = '13/04/25'; });
    expect(e.field).toBe('header.date');
  });

  it('a ticker that is not a B3 code', () => {
    const e = refusal((b) => { b.results[0].cod = 'WEG3'; });
    expect([e.field, e.row, e.message]).toEqual(['cod', 0, 'b3: row #0 field cod: not a B3 ticker (e.g. PETR4, BPAC11), got "WEG3"']);
  });

  it('a repeated ticker', () => {
    const e = refusal((b) => { b.results[1].cod = 'WEGE3'; });
    expect([e.field, e.row, e.message]).toEqual(['cod', 'WEGE3', 'b3: row WEGE3 field cod: ticker repeats, got a second row at #1']);
  });

  it('a row count different from totalRecords', () => {
    const e = refusal((b) => { b.page.totalRecords = 88; });
    expect([e.field, e.row, e.message]).toEqual(['page.totalRecords', null, 'b3: page.totalRecords: announces 88 rows, got 87']);
  });

  it('quantities that do not add up to the header total', () => {
    const e = refusal((b) => { b.header.theoricalQty = '99,015,750,717'; });
    expect([e.field, e.row, e.message]).toEqual([
      'header.theoricalQty', null, 'b3: header.theoricalQty: rows add up to 99015750716, got header total 99015750717',
    ]);
  });

  it('weights that do not add up to 100 ± 0.1', () => {
    const e = refusal((b) => { b.results[0].part = '2.863'; });
    expect([e.field, e.row, e.message]).toEqual(['results.part', null, 'b3: results.part: weights must add up to 100 ± 0.1, got 100.200']);
  });

  it('a sector total that is not the sum of its parts', () => {
    const e = refusal((b) => { b.results[4].partAcum = '2.297'; });
    expect([e.field, e.row, e.message]).toEqual([
      'partAcum', 'CCRO3', 'b3: row CCRO3 field partAcum: sector "Bens Indls/Transporte" weights add up to 2.197 in 4 rows, got sector total 2.297',
    ]);
  });

  it('a row moved to another sector', () => {
    const e = refusal((b) => { b.results[2].segment = 'Bens Indls/Transporte'; });
    expect([e.field, e.row, e.message]).toEqual([
      'partAcum', 'EMBR3', 'b3: row EMBR3 field partAcum: sector "Bens Indls / Mat Transporte" weights add up to 2.160 in 1 row, got sector total 2.357',
    ]);
  });

  it('a sector missing on one row only', () => {
    const e = refusal((b) => { b.results[5].segment = null; });
    expect([e.field, e.row]).toEqual(['segment', 'RAIL3']);
  });

  it('one number in the other language\'s format', () => {
    const e = refusal((b) => { b.results[0].theoricalQty = '1.243.177.587'; });
    expect([e.field, e.row, e.message]).toEqual([
      'theoricalQty', 'WEGE3', 'b3: row WEGE3 field theoricalQty: not a en-us whole number within safe range, got "1.243.177.587"',
    ]);
  });

  it('no number that tells the language', () => {
    const body = cloneJson(ENUS_JSON);
    body.header.theoricalQty = '99015750716';
    body.header.reductor = '16036751.16744128';
    for (const r of body.results) r.theoricalQty = String(r.theoricalQty).replace(/,/g, '');
    const e = thrown(() => parseClone(body));
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: cannot tell pt-br from en-us numbers (no unambiguous value, or as many of each), got total "99015750716" and reductor "16036751.16744128"');
  });
});

describe('accepted variations', () => {
  it('weights off by rounding within 0.1', () => {
    const body = cloneJson(ENUS_JSON);
    // WEGE3 is alone in its sector, so its sector total moves with it.
    body.results[0].part = '2.713';
    body.results[0].partAcum = '2.713';
    expect(parseClone(body).rows[0].weightPct).toBe(2.713);
  });

  it('segment 1: no sector on any row gives null sectors', () => {
    const body = cloneJson(PTBR_JSON);
    for (const r of body.results) { r.segment = null; r.partAcum = null; }
    const rows = parseClone(body).rows;
    expect(rows[0]).toEqual({
      ticker: 'WEGE3', asset: 'WEG', shareType: 'ON NM', sector: null,
      theoreticalQty: 1_481_593_024, weightPct: 2.728, sectorWeightPct: null,
    });
    expect(rows.every((r) => r.sector === null && r.sectorWeightPct === null)).toBe(true);
  });

  it('an asset with padding is trimmed', () => {
    const body = cloneJson(ENUS_JSON);
    body.results[0].asset = '  WEG   ';
    expect(parseClone(body).rows[0].asset).toBe('WEG');
  });
});
