import fc from 'fast-check';
import * as vm from 'node:vm';
import { isIsoDate } from '../../../lib/calendar/iso-date';
import { B3FormatError, B3ValidationError } from '../../../lib/b3/errors';
import type { PortfolioSnapshot } from '../../../lib/b3/portfolio';
import { parseReplayedBody } from '../../../lib/b3/replay';
import { CSV_2024_11_11_SECTORS, ENUS_JSON, PORTFOLIO_CAPTURES, PTBR_JSON, fixtureBytes } from './b3-fixtures';
import { applyAll, cotahistMutations, csvMutations, jsonMutations, type Mutation } from './fuzz-mutations';
import { zipSync } from 'fflate';
import { CotahistBodyReader } from '../../../lib/cotahist/body';
import { CotahistArchiveError, CotahistFormatError } from '../../../lib/cotahist/errors';
import type { CotahistQuote } from '../../../lib/cotahist/quote';
import { smallCotahist } from '../cotahist/cotahist-fixtures';

/**
 * Every real capture, damaged at random (fuzz-mutations.ts), either parses to a snapshot that
 * holds the contract's invariants or is refused with the typed error on one line: never another
 * exception, never a hang. Each case runs under a vm timeout, which interrupts even a synchronous
 * endless loop. A failure prints fast-check's seed and path (replay with `{ seed, path }`) and its
 * counterexample, plain data: keep it in REGRESSIONS, which runs before the random cases every time.
 */

const CASE_TIMEOUT_MS = 1_000;
/** Runs per property, sized so the whole file stays well under 20 s on a shared 2-core machine. */
const NUM_RUNS = { json: 1_000, csv: 2_000, sectorView: 1_000, cotahist: 500 } as const;

const sandbox = vm.createContext({ job: (): unknown => undefined });
const runJob = new vm.Script('job()');

/** Runs `fn` with a hard time bound (ERR_SCRIPT_EXECUTION_TIMEOUT past it). */
function bounded<T>(fn: () => T): T {
  sandbox.job = fn;
  return runJob.runInContext(sandbox, { timeout: CASE_TIMEOUT_MS }) as T;
}

/** The invariants of a validated snapshot, checked independently of the validator's code. */
function expectValidSnapshot(s: PortfolioSnapshot, index: string): void {
  expect(s.indexCode).toBe(index);
  expect(isIsoDate(s.portfolioDate)).toBe(true);
  expect(s.rows.length).toBeGreaterThan(0);
  expect(new Set(s.rows.map((r) => r.ticker)).size).toBe(s.rows.length);
  for (const r of s.rows) {
    expect(r.ticker).toMatch(/^[A-Z0-9]{4}\d{1,2}$/);
    expect(r.asset.trim()).not.toBe('');
    expect(r.shareType.trim()).not.toBe('');
    expect(Number.isSafeInteger(r.theoreticalQty) && r.theoreticalQty >= 0).toBe(true);
    expect(Number.isFinite(r.weightPct)).toBe(true);
    expect(r.sector === null).toBe(r.sectorWeightPct === null);
  }
  expect(s.rows.reduce((sum, r) => sum + BigInt(r.theoreticalQty), 0n)).toBe(BigInt(s.totalTheoreticalQty));
  expect(Math.abs(s.rows.reduce((sum, r) => sum + r.weightPct, 0) - 100)).toBeLessThanOrEqual(0.1);
  expect(Number.isFinite(s.reductor) && s.reductor > 0).toBe(true);
}

type Outcome = 'parsed' | 'B3FormatError' | 'B3ValidationError';

/** Parses damaged bytes; the typed refusals are outcomes, anything else fails the property. */
function outcomeOf(bytes: Buffer, index: string): Outcome {
  let snapshot: PortfolioSnapshot;
  try {
    snapshot = bounded(() => parseReplayedBody(bytes, index));
  } catch (error) {
    if (!(error instanceof B3FormatError || error instanceof B3ValidationError)) throw error;
    expect(error.message).toMatch(/^b3[: ]/);
    expect(error.message).not.toMatch(/[\r\n]/);
    return error.name as Outcome;
  }
  expectValidSnapshot(snapshot, index);
  return 'parsed';
}

const byFile = new Map(PORTFOLIO_CAPTURES.map((c) => [c.file, { ...c, bytes: fixtureBytes(c.file) }]));
const JSON_CAPTURES = [ENUS_JSON, PTBR_JSON];
const SECTOR_VIEW = [CSV_2024_11_11_SECTORS];
const PORTFOLIO_CSVS = PORTFOLIO_CAPTURES.map((c) => c.file).filter((f) => f.endsWith('.csv') && f !== CSV_2024_11_11_SECTORS);

/** One case: which capture, the damage done to it, and whether it is served as the base64 download body. */
type Case = [file: string, mutations: Mutation[], asBase64: boolean];

/** Failures found by this fuzz, kept as they were printed; each family's run starts with them. */
const REGRESSIONS: Record<'json' | 'csv' | 'sectorView', Case[]> = { json: [], csv: [], sectorView: [] };

/**
 * One property over a family of captures. Returns the outcome counts, so a test also shows
 * that the damage reaches every kind of outcome (not only the first format check).
 */
function fuzz(files: readonly string[], mutations: fc.Arbitrary<Mutation[]>, numRuns: number, base64: fc.Arbitrary<boolean>, examples: Case[]): Record<Outcome, number> {
  const seen: Record<Outcome, number> = { parsed: 0, B3FormatError: 0, B3ValidationError: 0 };
  fc.assert(
    fc.property(fc.constantFrom(...files), mutations, base64, (file, ms, asBase64) => {
      const capture = byFile.get(file)!;
      const damaged = applyAll(capture.bytes, ms);
      seen[outcomeOf(asBase64 ? Buffer.from(damaged.toString('base64')) : damaged, capture.index)]++;
    }),
    { numRuns, examples },
  );
  return seen;
}

describe('the B3 parsers on randomly damaged real captures', () => {
  it('the undamaged captures parse (the fuzz starts from good input)', () => {
    for (const file of [...JSON_CAPTURES, ...PORTFOLIO_CSVS, ...SECTOR_VIEW]) expect(outcomeOf(byFile.get(file)!.bytes, byFile.get(file)!.index)).toBe('parsed');
  });

  it(`JSON (${JSON_CAPTURES.length} captures, ${NUM_RUNS.json} cases): a valid snapshot or the typed error`, () => {
    const seen = fuzz(JSON_CAPTURES, jsonMutations, NUM_RUNS.json, fc.constant(false), REGRESSIONS.json);
    expect(Object.entries(seen).filter(([, n]) => n === 0)).toEqual([]);
  });

  it(`CSV portfolio layout (${PORTFOLIO_CSVS.length} captures, ${NUM_RUNS.csv} cases), as text or base64 body`, () => {
    const seen = fuzz(PORTFOLIO_CSVS, csvMutations, NUM_RUNS.csv, fc.boolean(), REGRESSIONS.csv);
    expect(Object.entries(seen).filter(([, n]) => n === 0)).toEqual([]);
  });

  it(`CSV sector view (${SECTOR_VIEW.length} capture, ${NUM_RUNS.sectorView} cases), as text or base64 body`, () => {
    const seen = fuzz(SECTOR_VIEW, csvMutations, NUM_RUNS.sectorView, fc.boolean(), REGRESSIONS.sectorView);
    expect(Object.entries(seen).filter(([, n]) => n === 0)).toEqual([]);
  });

  it(`COTAHIST (a real file cut to 120 records, ${NUM_RUNS.cotahist} cases), as text or zip: whole quotes of the session or the typed error`, () => {
    const text = Buffer.from(smallCotahist(120));
    const seen = { parsed: 0, CotahistFormatError: 0, CotahistArchiveError: 0 };
    fc.assert(
      fc.property(cotahistMutations, fc.boolean(), (ms, asZip) => {
        const damaged = applyAll(text, ms);
        const body = asZip ? zipSync({ 'COTAHIST_D25032021.TXT': damaged }) : damaged;
        const quotes: CotahistQuote[] = [];
        try {
          const read = bounded(() => {
            const reader = new CotahistBodyReader({ session: '2021-03-25', accept: ['zip', 'text'], onQuote: (q) => quotes.push(q) });
            reader.push(body);
            return reader.end();
          });
          expect(read.quotes).toBe(quotes.length);
          expect(read.totalRecords).toBe(quotes.length + 2);
          const keys = new Set(quotes.map((q) => `${q.ticker}|${q.market_type}|${q.forward_term_days}`));
          expect(keys.size).toBe(quotes.length);
          const broken = quotes.filter(
            (q) => q.session_date !== '2021-03-25' || !isIsoDate(q.expiration_date) || q.close_price < 0n || q.traded_volume < 0n || !Number.isSafeInteger(q.trades),
          );
          expect(broken).toEqual([]);
          seen.parsed++;
        } catch (error) {
          if (!(error instanceof CotahistFormatError || error instanceof CotahistArchiveError)) throw error;
          expect(error.message).toMatch(/^cotahist: /);
          expect(error.message).not.toMatch(/[\r\n]/);
          seen[error.name as 'CotahistFormatError' | 'CotahistArchiveError']++;
        }
      }),
      { numRuns: NUM_RUNS.cotahist },
    );
    // Damage reaches the parser's checks (not only the first one) and some survives as valid quotes.
    expect(seen.parsed).toBeGreaterThan(0);
    expect(seen.CotahistFormatError).toBeGreaterThan(0);
  });

  it('a case that runs past its bound fails instead of hanging the suite', () => {
    const started = Date.now();
    const e = (() => {
      try {
        bounded(() => {
          for (;;);
        });
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
      return undefined;
    })();
    expect(e?.code).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(CASE_TIMEOUT_MS * 5);
  });
});
