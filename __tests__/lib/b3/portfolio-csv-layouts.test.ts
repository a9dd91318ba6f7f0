import { B3FormatError, B3ValidationError } from '../../../lib/b3/errors';
import { parsePortfolioCsv } from '../../../lib/b3/portfolio-csv';
import { parseReplayedBody } from '../../../lib/b3/replay';
import {
  COTAHIST_2021_03_25_IBOV, CSV_2021_03_26, CSV_2024_11_11_SECTORS, CSV_2026_07_21, IBXX_CSV_2026_07_21, INDEX_STATISTICS_2022,
  PORTFOLIO_CAPTURES, SMLL_CSV_2026_07_21, fixtureBytes, fixtureLatin1, fixtureUtf8, thrown,
} from './b3-fixtures';

/** A capture's lines (CRLF or LF as it came), to change one and join them back. */
function linesOf(name: string): { lines: string[]; eol: string } {
  const text = fixtureLatin1(name);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { lines: text.split(eol), eol };
}

function refusal(name: string, change: (lines: string[]) => void, index = 'IBOV'): Error {
  const { lines, eol } = linesOf(name);
  change(lines);
  return thrown(() => parsePortfolioCsv(lines.join(eol), index));
}

describe('the sector view (IBOVDia_11-11-24.csv, 7 columns starting with Setor)', () => {
  const snapshot = parsePortfolioCsv(fixtureLatin1(CSV_2024_11_11_SECTORS), 'IBOV');

  it('reads the title, the totals under Qtde. Teórica and every row with its sector', () => {
    expect([snapshot.portfolioDate, snapshot.totalTheoreticalQty, snapshot.reductor, snapshot.language, snapshot.source])
      .toEqual(['2024-11-11', 96_112_444_798, 16_469_267.52299839, 'pt-br', 'csv-download']);
    expect(snapshot.rows).toHaveLength(86);
    expect(snapshot.rows[0]).toEqual({
      ticker: 'WEGE3', asset: 'WEG', shareType: 'ON NM', sector: 'Bens Indls / Máqs e Equips',
      theoreticalQty: 1_269_032_828, weightPct: 3.321, sectorWeightPct: 3.321,
    });
    expect(snapshot.rows[85]).toEqual({
      ticker: 'TRPL4', asset: 'TRAN PAULIST', shareType: 'PN N1', sector: 'Utilidade Públ / Energ Elétrica',
      theoreticalQty: 395_801_044, weightPct: 0.458, sectorWeightPct: 10.564,
    });
    expect(new Set(snapshot.rows.map((r) => r.sector)).size).toBe(29);
  });

  it('Part. (%)Acum. is the sector total, the same on each of its rows', () => {
    const transport = snapshot.rows.filter((r) => r.sector === 'Bens Indls/Transporte');
    expect(transport.map((r) => [r.ticker, r.weightPct, r.sectorWeightPct])).toEqual([
      ['AZUL4', 0.08, 2.271], ['CCRO3', 0.551, 2.271], ['RAIL3', 1.123, 2.271], ['STBP3', 0.517, 2.271],
    ]);
  });

  it('is found by its content when replayed, as text and as the base64 body', () => {
    expect(parseReplayedBody(fixtureBytes(CSV_2024_11_11_SECTORS), 'IBOV')).toEqual(snapshot);
    expect(parseReplayedBody(Buffer.from(fixtureBytes(CSV_2024_11_11_SECTORS).toString('base64')), 'IBOV')).toEqual(snapshot);
  });

  it('refuses a sector total that is not the sum of its weights', () => {
    const e = refusal(CSV_2024_11_11_SECTORS, (l) => { l[5] = l[5].replace('0,551;2,271', '0,551;2,371'); });
    expect(e).toBeInstanceOf(B3ValidationError);
    expect(e.message).toBe('b3: row CCRO3 field partAcum: sector "Bens Indls/Transporte" weights add up to 2.271 in 4 rows, got sector total 2.371');
  });

  it('refuses a row without its sector', () => {
    const e = refusal(CSV_2024_11_11_SECTORS, (l) => { l[2] = l[2].replace('Bens Indls / Máqs e Equips', ''); });
    expect([(e as B3ValidationError).field, (e as B3ValidationError).row]).toEqual(['segment', 'WEGE3']);
  });

  it('refuses a totals line of the other layout (one empty cell short)', () => {
    const e = refusal(CSV_2024_11_11_SECTORS, (l) => { l[89] = 'Redutor;;;16.469.267,52299839'; });
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected the CSV download layout, got a reductor line "Redutor;;;16.469.267,52299839"');
  });
});

describe('columns are found by their header names', () => {
  it('refuses a renamed column, naming it', () => {
    const e = refusal(CSV_2021_03_26, (l) => { l[1] = l[1].replace('Qtde. Teórica', 'Quantity X'); });
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected the CSV download layout, got an unknown column "Quantity X" (column 4 of header "Código;Ação;Tipo;Quantity X;Part. (%)")');
  });

  it('refuses a renamed column of the sector view', () => {
    const e = refusal(CSV_2024_11_11_SECTORS, (l) => { l[1] = l[1].replace('Setor', 'Sector'); });
    expect(e.message).toMatch(/^b3: expected the CSV download layout, got an unknown column "Sector" \(column 1 of header /);
  });

  it('refuses a missing column, naming it', () => {
    const e = refusal(CSV_2024_11_11_SECTORS, (l) => { l[1] = l[1].replace(';Part. (%)Acum.', ''); });
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected the CSV download layout, got no column "Part. (%)Acum." in header "Setor;Código;Ação;Tipo;Qtde. Teórica;Part. (%)"');
  });

  it('refuses reordered columns, naming the first out of place', () => {
    const e = refusal(CSV_2021_03_26, (l) => { l[1] = 'Código;Tipo;Ação;Qtde. Teórica;Part. (%)'; });
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected the CSV download layout with "Ação" as column 2, got "Tipo" there');
  });

  it('refuses a repeated column', () => {
    const e = refusal(CSV_2021_03_26, (l) => { l[1] = 'Código;Ação;Tipo;Tipo;Part. (%)'; });
    expect(e.message).toBe('b3: expected the CSV download layout, got column "Tipo" twice in header "Código;Ação;Tipo;Tipo;Part. (%)"');
  });

  it('refuses an empty column name', () => {
    const e = refusal(CSV_2021_03_26, (l) => { l[1] = 'Código;;Tipo;Qtde. Teórica;Part. (%)'; });
    expect(e.message).toBe('b3: expected the CSV download layout, got an unknown column "" (column 2 of header "Código;;Tipo;Qtde. Teórica;Part. (%)")');
  });
});

/**
 * D-1 closes from COTAHIST records, in B3's fixed-width layout (SeriesHistoricas_Layout.pdf):
 * CODNEG at 13–24, TPMERC at 25–27, PREULT at 109–121 with 2 implied decimals, FATCOT at 211–217.
 */
function cotahistCloses(text: string): Map<string, number> {
  const closes = new Map<string, number>();
  for (const r of text.split(/\r?\n/).filter((l) => l.startsWith('01'))) {
    if (r.slice(24, 27) === '010') closes.set(r.slice(12, 24).trim(), Number(r.slice(108, 121)) / 100 / Number(r.slice(210, 217)));
  }
  return closes;
}

describe('a reductor whose decimal comma B3 dropped (IBOVDia_26-03-21.csv: 18.296.80337677573)', () => {
  const snapshot = parsePortfolioCsv(fixtureLatin1(CSV_2021_03_26), 'IBOV');

  it('reads it as 18,296,803.37677573, the rest of the capture as it is', () => {
    expect([snapshot.portfolioDate, snapshot.totalTheoreticalQty, snapshot.reductor]).toEqual(['2021-03-26', 76_862_590_858, 18_296_803.37677573]);
    expect(snapshot.rows).toHaveLength(82);
    expect(snapshot.rows[0]).toEqual({
      ticker: 'ABEV3', asset: 'AMBEV S/A', shareType: 'ON', sector: null, theoreticalQty: 4_355_174_839, weightPct: 3.137, sectorWeightPct: null,
    });
  });

  it('the index level confirms that reading: Σ qty × D-1 close ÷ reductor is on the IBOV scale only with it', () => {
    const closes = cotahistCloses(fixtureLatin1(COTAHIST_2021_03_25_IBOV));
    const market = snapshot.rows.reduce((sum, r) => sum + r.theoreticalQty * closes.get(r.ticker)!, 0);
    // The closes are the portfolio's own: each weight is qty × close ÷ Σ within 0.01 pp.
    for (const r of snapshot.rows) expect(Math.abs((100 * r.theoreticalQty * closes.get(r.ticker)!) / market - r.weightPct)).toBeLessThan(0.01);
    // The IBOV's scale: B3's own 2022 closes (indexStatistics), widened by a quarter each way.
    const stats = JSON.parse(fixtureUtf8(INDEX_STATISTICS_2022)) as Record<'min' | 'max', Record<string, string>>;
    const month = (side: 'min' | 'max') => Array.from({ length: 12 }, (_, m) => Number(stats[side][`rateValue${m + 1}`].replace(/,/g, '')));
    const [low, high] = [Math.min(...month('min')) * 0.75, Math.max(...month('max')) * 1.25];
    const level = (reductor: number) => market / reductor;
    expect(Math.round(level(snapshot.reductor))).toBe(113_765);
    expect(level(snapshot.reductor)).toBeGreaterThan(low);
    expect(level(snapshot.reductor)).toBeLessThan(high);
    // The other readings of the same digits: the last dot as the decimal separator, or no decimals at all.
    for (const other of [18_296.80337677573, 1_829_680_337_677_573]) {
      expect(level(other) > low && level(other) < high).toBe(false);
    }
  });

  it.each([
    ['18.296.8033767757', 'a run-on of 7 digits, not the 8 decimals'],
    ['18.296.803376775730', 'a run-on of 9 digits'],
    ['18.29.680337677573', 'a group of 2 digits'],
    ['18.296.803.37677573', 'a dot for the decimal comma'],
    ['18.296.80337677573,1', 'a comma after the run-on'],
  ])('refuses %j (%s), which fits no reading', (reductor) => {
    const e = refusal(CSV_2021_03_26, (l) => { l[l.length - 2] = `Redutor;;;${reductor}`; });
    expect(e).toBeInstanceOf(B3ValidationError);
    expect(e.message).toBe(`b3: header.reductor: not a pt-br number (nor one with its decimal separator dropped), got "${reductor}"`);
  });
});

describe('the captures of 2026-07-21 share the portfolio layout, one index each', () => {
  it.each([
    [CSV_2026_07_21, 'IBOV', 78, 93_321_430_230, 13_886_248.76732755, ['ALOS3', 0.543]],
    [IBXX_CSV_2026_07_21, 'IBXX', 99, 100_716_781_536, 35_796_918.70212839, ['ALOS3', 0.499]],
    [SMLL_CSV_2026_07_21, 'SMLL', 109, 29_673_257_468, 151_853_891.61373207, ['TTEN3', 0.526]],
  ] as const)('%s is the %s portfolio: %d rows', (file, index, rows, total, reductor, [first, weight]) => {
    const s = parsePortfolioCsv(fixtureLatin1(file), index);
    expect([s.indexCode, s.portfolioDate, s.rows.length, s.totalTheoreticalQty, s.reductor]).toEqual([index, '2026-07-21', rows, total, reductor]);
    expect([s.rows[0].ticker, s.rows[0].weightPct, s.rows[0].sector]).toEqual([first, weight, null]);
  });

  it('one ticker is in several indexes on one day, with its weight in each', () => {
    const weight = (file: string, index: string) => parsePortfolioCsv(fixtureLatin1(file), index).rows.find((r) => r.ticker === 'YDUQ3')?.weightPct;
    expect([weight(CSV_2026_07_21, 'IBOV'), weight(IBXX_CSV_2026_07_21, 'IBXX'), weight(SMLL_CSV_2026_07_21, 'SMLL')]).toEqual([0.089, 0.082, 0.649]);
  });

  it('an IBXX file replayed as IBOV is refused', () => {
    const e = thrown(() => parsePortfolioCsv(fixtureLatin1(IBXX_CSV_2026_07_21), 'IBOV'));
    expect(e.message).toBe('b3: index: asked for IBOV, got a IBXX portfolio');
  });
});

describe('every real capture parses', () => {
  it.each(PORTFOLIO_CAPTURES.map((c) => [c.file, c.index]))('%s (%s)', (file, index) => {
    const s = parseReplayedBody(fixtureBytes(file), index);
    expect(s.indexCode).toBe(index);
    expect(s.rows.length).toBeGreaterThan(70);
  });
});
