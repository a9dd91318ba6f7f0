import type { PortfolioSnapshot } from '../../../lib/b3/portfolio';
import { RawContractError, toRawRecords } from '../../../lib/raw/raw-contract';
import { encodeRawParquet } from '../../../lib/raw/raw-parquet';

const snapshot: PortfolioSnapshot = {
  indexCode: 'SMLL',
  portfolioDate: '2023-12-15',
  totalTheoreticalQty: 10,
  reductor: 2.5,
  source: 'csv-download',
  language: 'pt-br',
  rows: [{ ticker: 'ABCB4', asset: 'ABC BRASIL', shareType: 'PN N2', sector: null, theoreticalQty: 10, weightPct: 100, sectorWeightPct: null }],
};
const at = new Date('2023-12-14T22:00:00Z');

describe('toRawRecords', () => {
  it('maps every snapshot field onto the contract columns', () => {
    expect(toRawRecords(snapshot, '2023-12-14', at)).toEqual([
      {
        index_code: 'SMLL', portfolio_date: '2023-12-15', session_date: '2023-12-14', ticker: 'ABCB4', asset: 'ABC BRASIL',
        share_type: 'PN N2', sector: null, theoretical_qty: 10, weight_pct: 100, sector_weight_pct: null,
        total_theoretical_qty: 10, reductor: 2.5, source: 'csv-download', ingested_at: at,
      },
    ]);
  });

  it('refuses a session_date that does not precede the portfolio date', () => {
    expect(() => toRawRecords(snapshot, '2023-12-15', at)).toThrow(
      new RawContractError('raw: session_date must precede portfolio_date 2023-12-15, got 2023-12-15'),
    );
  });

  it('refuses a session_date that is not a calendar day', () => {
    expect(() => toRawRecords(snapshot, '2023-02-30', at)).toThrow('raw: session_date is not a YYYY-MM-DD day, got 2023-02-30');
  });

  it('refuses an invalid ingestion time', () => {
    expect(() => toRawRecords(snapshot, '2023-12-14', new Date('nope'))).toThrow('raw: ingested_at is not a valid time, got Invalid Date');
  });
});

describe('encodeRawParquet', () => {
  it('refuses to write an empty portfolio', () => {
    expect(() => encodeRawParquet([])).toThrow('raw: refusing to write an empty portfolio, got 0 rows');
  });

  it('refuses a quantity that is not a safe integer rather than rounding it', () => {
    const [row] = toRawRecords(snapshot, '2023-12-14', at);
    expect(() => encodeRawParquet([row, { ...row, ticker: 'ABCB3', theoretical_qty: 1.5 }])).toThrow(
      'raw: theoretical_qty in row 2 is not a safe integer, got 1.5',
    );
  });

  it('starts with the Parquet magic and ends with it', () => {
    const bytes = encodeRawParquet(toRawRecords(snapshot, '2023-12-14', at));
    const magic = (b: Uint8Array) => Buffer.from(b).toString('latin1');
    expect(magic(bytes.subarray(0, 4))).toBe('PAR1');
    expect(magic(bytes.subarray(bytes.length - 4))).toBe('PAR1');
  });
});
