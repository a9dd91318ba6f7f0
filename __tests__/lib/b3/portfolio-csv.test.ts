import { B3FormatError, B3ValidationError } from '../../../lib/b3/errors';
import { decodeCsvDownload, parsePortfolioCsv } from '../../../lib/b3/portfolio-csv';
import { CLOUDFLARE_HTML, CSV_2023_08_21, CSV_2023_12_15, fixtureBytes, fixtureLatin1, fixtureUtf8, thrown } from './b3-fixtures';

/** The capture's lines (CRLF), to change one and join them back. */
const linesOf = (name: string): string[] => fixtureLatin1(name).split('\r\n');
const parseLines = (lines: string[], index = 'IBOV') => parsePortfolioCsv(lines.join('\r\n'), index);

describe('parsePortfolioCsv on the capture of 15/12/23', () => {
  const snapshot = parsePortfolioCsv(fixtureLatin1(CSV_2023_12_15), 'IBOV');

  it('reads the title date, total and reductor lines', () => {
    expect(snapshot.indexCode).toBe('IBOV');
    expect(snapshot.portfolioDate).toBe('2023-12-15');
    expect(snapshot.totalTheoreticalQty).toBe(96_571_029_272);
    expect(snapshot.reductor).toBe(17_272_563.70353423);
    expect(snapshot.language).toBe('pt-br');
    expect(snapshot.source).toBe('csv-download');
  });

  it('reads every row without sectors, first and last exactly', () => {
    expect(snapshot.rows).toHaveLength(86);
    expect(snapshot.rows[0]).toEqual({
      ticker: 'RRRP3', asset: '3R PETROLEUM', shareType: 'ON NM', sector: null,
      theoreticalQty: 235_661_666, weightPct: 0.287, sectorWeightPct: null,
    });
    expect(snapshot.rows[85]).toEqual({
      ticker: 'YDUQ3', asset: 'YDUQS PART', shareType: 'ON NM', sector: null,
      theoreticalQty: 289_347_914, weightPct: 0.295, sectorWeightPct: null,
    });
  });
});

describe('parsePortfolioCsv on the capture of 21/08/23', () => {
  const snapshot = parsePortfolioCsv(fixtureLatin1(CSV_2023_08_21), 'ibov');

  it('reads header, totals and rows exactly', () => {
    expect(snapshot.portfolioDate).toBe('2023-08-21');
    expect(snapshot.totalTheoreticalQty).toBe(96_711_200_540);
    expect(snapshot.reductor).toBe(17_355_083.82854149);
    expect(snapshot.rows).toHaveLength(85);
    expect(snapshot.rows[0]).toEqual({
      ticker: 'RRRP3', asset: '3R PETROLEUM', shareType: 'ON NM', sector: null,
      theoreticalQty: 234_689_601, weightPct: 0.372, sectorWeightPct: null,
    });
    expect(snapshot.rows[84]).toEqual({
      ticker: 'YDUQ3', asset: 'YDUQS PART', shareType: 'ON ED NM', sector: null,
      theoreticalQty: 296_015_511, weightPct: 0.328, sectorWeightPct: null,
    });
  });

  it('reads LF line ends as well as CRLF', () => {
    const lf = parsePortfolioCsv(fixtureLatin1(CSV_2023_08_21).replace(/\r\n/g, '\n'), 'IBOV');
    expect(lf).toEqual(snapshot);
  });
});

describe('decodeCsvDownload: the HTTP body is base64 of ISO-8859-1 text', () => {
  const bytes = fixtureBytes(CSV_2023_12_15);
  const base64 = bytes.toString('base64');

  it('round-trips the capture, accents decoded as ISO-8859-1', () => {
    const text = decodeCsvDownload(base64);
    expect(text).toBe(fixtureLatin1(CSV_2023_12_15));
    expect(text.split('\r\n')[1]).toBe('Código;Ação;Tipo;Qtde. Teórica;Part. (%)');
    expect(parsePortfolioCsv(text, 'IBOV').rows).toHaveLength(86);
  });

  it('accepts the body as bytes, JSON-quoted, or wrapped in lines', () => {
    const expected = fixtureLatin1(CSV_2023_12_15);
    expect(decodeCsvDownload(Buffer.from(base64, 'latin1'))).toBe(expected);
    expect(decodeCsvDownload(`"${base64}"`)).toBe(expected);
    expect(decodeCsvDownload(`${base64.match(/.{1,76}/g)?.join('\r\n')}\r\n`)).toBe(expected);
  });

  it('refuses a Cloudflare challenge page', () => {
    const e = thrown(() => decodeCsvDownload(fixtureUtf8(CLOUDFLARE_HTML)));
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected a base64 CSV download, got an HTML page titled "Just a moment..." (Cloudflare challenge?)');
  });

  it('refuses text that is not base64', () => {
    const e = thrown(() => decodeCsvDownload('{"message":"not found"}'));
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected a base64 CSV download, got "{\\"message\\":\\"not found\\"}"');
  });

  it('refuses an empty body and a truncated base64', () => {
    expect(() => decodeCsvDownload('')).toThrow('b3: expected a base64 CSV download, got ""');
    expect(() => decodeCsvDownload(base64.slice(0, -1))).toThrow(B3FormatError);
  });
});

describe('refusals, each a clone of a capture with one line changed', () => {
  function refusal(change: (lines: string[]) => void, index = 'IBOV'): Error {
    const lines = linesOf(CSV_2023_12_15);
    change(lines);
    return thrown(() => parseLines(lines, index));
  }
  const validation = (e: Error): [string, string | number | null, string] => {
    expect(e).toBeInstanceOf(B3ValidationError);
    const v = e as B3ValidationError;
    return [v.field, v.row, v.message];
  };

  it('an HTML page', () => {
    const e = thrown(() => parsePortfolioCsv(fixtureUtf8(CLOUDFLARE_HTML), 'IBOV'));
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected the CSV download layout, got an HTML page titled "Just a moment..." (Cloudflare challenge?)');
  });

  it('a first line that is not the title', () => {
    const e = refusal((l) => { l[0] = 'Carteira do Dia'; });
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected the CSV download layout, got a first line "Carteira do Dia"');
  });

  it('another index than the one asked for', () => {
    expect(validation(refusal((l) => { l[0] = 'IBXX - Carteira do Dia 15/12/23'; })))
      .toEqual(['index', null, 'b3: index: asked for IBOV, got a IBXX portfolio']);
  });

  it('an impossible date', () => {
    expect(validation(refusal((l) => { l[0] = 'IBOV - Carteira do Dia 31/02/23'; })))
      .toEqual(['header.date', null, 'b3: header.date: not a real pt-br date (DD/MM/YY), got "31/02/23"']);
  });

  it('a column header short of a column, naming it', () => {
    const e = refusal((l) => { l[1] = 'Código;Ação;Tipo;Qtde. Teórica'; });
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected the CSV download layout, got no column "Part. (%)" in header "Código;Ação;Tipo;Qtde. Teórica"');
  });

  it('a row with an extra column', () => {
    const e = refusal((l) => { l[2] = 'RRRP3;3R PETROLEUM;ON      NM;235.661.666;0,287;X;'; });
    expect(e).toBeInstanceOf(B3FormatError);
  });

  it('no rows', () => {
    expect(validation(refusal((l) => { l.splice(2, 86); })))
      .toEqual(['results', null, 'b3: results: no rows, got 0']);
  });

  it('an empty field', () => {
    expect(validation(refusal((l) => { l[2] = 'RRRP3;;ON      NM;235.661.666;0,287;'; })))
      .toEqual(['asset', 'RRRP3', 'b3: row RRRP3 field asset: missing or empty, got undefined']);
  });

  it('a short row', () => {
    expect(validation(refusal((l) => { l[3] = 'ALOS3;ALLOS;ON      NM'; }))[0]).toBe('theoricalQty');
  });

  it('a quantity that does not parse', () => {
    expect(validation(refusal((l) => { l[2] = 'RRRP3;3R PETROLEUM;ON      NM;235,661,666;0,287;'; })).slice(0, 2))
      .toEqual(['theoricalQty', 'RRRP3']);
  });

  it('a ticker that is not a B3 code', () => {
    expect(validation(refusal((l) => { l[2] = 'RRRP;3R PETROLEUM;ON      NM;235.661.666;0,287;'; })).slice(0, 2))
      .toEqual(['cod', 0]);
  });

  it('a repeated ticker', () => {
    expect(validation(refusal((l) => { l[3] = l[3].replace('ALOS3', 'RRRP3'); })).slice(0, 2))
      .toEqual(['cod', 'RRRP3']);
  });

  it('quantities that do not add up to the total line', () => {
    expect(validation(refusal((l) => { l[88] = 'Quantidade Teórica Total;;;96.571.029.273;100,000'; })))
      .toEqual(['header.theoricalQty', null, 'b3: header.theoricalQty: rows add up to 96571029272, got header total 96571029273']);
  });

  it('weights that do not add up to 100 ± 0.1', () => {
    expect(validation(refusal((l) => { l[2] = 'RRRP3;3R PETROLEUM;ON      NM;235.661.666;0,487;'; })))
      .toEqual(['results.part', null, 'b3: results.part: weights must add up to 100 ± 0.1, got 100.200']);
  });

  it('a reductor that does not parse', () => {
    expect(validation(refusal((l) => { l[89] = 'Redutor;;;17.272.563,7035342x'; })).slice(0, 2))
      .toEqual(['header.reductor', null]);
  });

  it('a zero reductor', () => {
    expect(validation(refusal((l) => { l[89] = 'Redutor;;;0,00000000'; })))
      .toEqual(['header.reductor', null, 'b3: header.reductor: must be positive, got "0,00000000"']);
  });

  it('a missing reductor line', () => {
    const e = refusal((l) => { l.splice(89, 1); });
    expect(e).toBeInstanceOf(B3FormatError);
    expect(e.message).toBe('b3: expected the CSV download layout, got a total line "YDUQ3;YDUQS PART;ON NM;289.347.914;0,295;"');
  });
});
