import { B3FormatError } from '../../../lib/b3/errors';
import { parsePortfolioCsv } from '../../../lib/b3/portfolio-csv';
import { parsePortfolioJsonPages } from '../../../lib/b3/portfolio-json';
import { detectReplayKind, parseReplayedBody } from '../../../lib/b3/replay';
import { CLOUDFLARE_HTML, CSV_2023_08_21, CSV_2023_12_15, ENUS_JSON, PTBR_JSON, fixtureBytes, fixtureLatin1, fixtureUtf8 } from './b3-fixtures';

describe('parseReplayedBody tells the kind of a saved body from its content', () => {
  it.each([ENUS_JSON, PTBR_JSON])('reads the JSON capture %s as UTF-8, like the JSON parser', (name) => {
    const bytes = fixtureBytes(name);
    expect(detectReplayKind(bytes)).toBe('json');
    expect(parseReplayedBody(bytes, 'IBOV')).toEqual(parsePortfolioJsonPages([fixtureUtf8(name)], 'IBOV'));
  });

  it('keeps UTF-8 accents of the en-us capture', () => {
    expect(parseReplayedBody(fixtureBytes(ENUS_JSON), 'IBOV').rows[0].sector).toBe('Bens Indls / Máqs e Equips');
  });

  it.each([CSV_2023_12_15, CSV_2023_08_21])('reads the CSV capture %s as ISO-8859-1', (name) => {
    const bytes = fixtureBytes(name);
    expect(detectReplayKind(bytes)).toBe('csv-text');
    expect(parseReplayedBody(bytes, 'IBOV')).toEqual(parsePortfolioCsv(fixtureLatin1(name), 'IBOV'));
  });

  it('decodes a still-base64 download body first', () => {
    const bytes = Buffer.from(fixtureBytes(CSV_2023_12_15).toString('base64'), 'latin1');
    expect(detectReplayKind(bytes)).toBe('csv-base64');
    const snapshot = parseReplayedBody(bytes, 'IBOV');
    expect(snapshot.portfolioDate).toBe('2023-12-15');
    expect(snapshot.rows).toHaveLength(86);
    expect(snapshot.source).toBe('csv-download');
  });

  it('reads a CSV re-saved as UTF-8 (with a byte order mark) like the ISO-8859-1 original', () => {
    // One accented company name, so a wrong decoding shows in the values, not only the header.
    const latin1Text = fixtureLatin1(CSV_2023_12_15).replace(';3R PETROLEUM;', ';SÃO PETRÓLEO;');
    const original = Buffer.from(latin1Text, 'latin1');
    const resaved = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(latin1Text, 'utf8')]);
    const expected = parseReplayedBody(original, 'IBOV');
    expect(expected.rows.find((r) => r.ticker === 'RRRP3')?.asset).toBe('SÃO PETRÓLEO');
    expect(parseReplayedBody(resaved, 'IBOV')).toEqual(expected);
    const base64Body = Buffer.from(Buffer.from(latin1Text, 'utf8').toString('base64'), 'latin1');
    expect(parseReplayedBody(base64Body, 'IBOV')).toEqual(expected);
  });

  it('accepts a JSON body saved with a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixtureBytes(ENUS_JSON)]);
    expect(parseReplayedBody(bytes, 'IBOV').rows).toHaveLength(87);
  });

  it('refuses a saved Cloudflare challenge page', () => {
    const bytes = fixtureBytes(CLOUDFLARE_HTML);
    expect(() => parseReplayedBody(bytes, 'IBOV')).toThrow(B3FormatError);
    expect(() => parseReplayedBody(bytes, 'IBOV')).toThrow(
      'b3: expected a saved JSON or CSV body, got an HTML page titled "Just a moment..." (Cloudflare challenge?)',
    );
  });

  it('refuses anything else', () => {
    expect(() => parseReplayedBody(Buffer.from('Ticker,Weight\nPETR4,1.0\n'), 'IBOV')).toThrow(
      'b3: expected a saved JSON portfolio, CSV download or its base64 body, got "Ticker,Weight PETR4,1.0"',
    );
    expect(() => parseReplayedBody(new Uint8Array(0), 'IBOV')).toThrow(B3FormatError);
  });
});
