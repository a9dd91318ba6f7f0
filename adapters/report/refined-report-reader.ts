import type { DuckDBConnection } from '@duckdb/node-api';
import { isIsoDate, type IsoDate } from '../../lib/calendar/iso-date';
import { readD1Session } from '../duckdb/d1-session-reader';
import {
  DEFAULT_HISTORY_TICKERS,
  ReportError,
  assertTopN,
  byWeightDesc,
  type LatestDayRow,
  type ReportInput,
  type WeightPoint,
} from '../../lib/report/report-model';

/** Runs one SQL statement and returns its rows as plain objects. */
export type QueryFn = (sql: string) => Promise<Record<string, unknown>[]>;

export interface ReportReadOptions {
  /**
   * The relation to read: the table name `b3_portfolio_refined` in the local catalog (or
   * Athena), or any DuckDB relation such as `read_parquet('…/*.parquet', hive_partitioning = true)`.
   */
  readonly relation: string;
  /** The relation histories are read from (the day-partitioned table); default: relation. */
  readonly historyRelation?: string;
  /** Where the rows come from, for error messages (a lake directory, a catalog file). */
  readonly sourceLabel: string;
  readonly indexCode?: string;
  /** How many of the latest day's largest tickers get a history line. */
  readonly historyTickers?: number;
  /**
   * The portfolio day to report, as the report would have been drawn on it: its rows, and the
   * history and counts up to it. Default: the latest day in the lake.
   */
  readonly portfolioDate?: IsoDate;
}

const INDEX_CODE = /^[A-Z0-9]{2,12}$/;
/** B3 trading codes are letters and digits (PETR4, BPAC11); anything else never reaches SQL. */
const TICKER = /^[A-Z0-9]{4,12}$/;

/** A DuckDB connection as a QueryFn; values come back as JS (the SQL below casts to plain types). */
export function duckdbQuery(connection: DuckDBConnection): QueryFn {
  return async (sql) => {
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    } catch (err) {
      // A missing file or a broken view is a refusal the user can act on: one line, not a trace.
      throw new ReportError(`report: query failed, got ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
  };
}

/**
 * Reads what the report needs with a few small queries — the latest day, its rows, the
 * history of its largest tickers, and that day beside its D-1 quotes — so the work stays proportional to what is drawn, not to
 * the lake. Dates come back as YYYY-MM-DD text and counts as doubles: no bigint, no Date.
 */
export async function readReportInput(query: QueryFn, options: ReportReadOptions): Promise<ReportInput> {
  const indexCode = options.indexCode ?? 'IBOV';
  if (!INDEX_CODE.test(indexCode)) throw new ReportError(`report: index code must be 2-12 letters or digits, got ${indexCode}`);
  const historyTickers = assertTopN(options.historyTickers ?? DEFAULT_HISTORY_TICKERS, 'history ticker count');
  const rel = options.relation;
  // indexCode is checked against INDEX_CODE above, so it is safe inside a literal.
  const ofIndex = `index_code = '${indexCode}'`;

  const asked = options.portfolioDate;
  if (asked !== undefined && !isIsoDate(asked)) throw new ReportError(`report: the portfolio date is YYYY-MM-DD, got ${asked}`);
  // Up to the day asked for (checked above, so safe inside a literal), or every day.
  const upTo = asked === undefined ? '' : ` AND dt <= DATE '${asked}'`;
  const [summary] = await query(
    `SELECT CAST(max(dt) AS VARCHAR) AS latest_dt, CAST(count(*) AS DOUBLE) AS total_rows,
            CAST(count(DISTINCT dt) AS DOUBLE) AS day_count
       FROM ${rel} WHERE ${ofIndex}${upTo}`,
  );
  const latest = summary?.latest_dt;
  if (asked !== undefined && latest !== asked) {
    const before = latest === null || latest === undefined ? 'no day before it' : `the latest day before it is ${String(latest)}`;
    throw new ReportError(`report: no refined rows in ${options.sourceLabel} for index ${indexCode} on ${asked}, got none (${before})`);
  }
  if (latest === null || latest === undefined) {
    throw new ReportError(`report: no refined rows in ${options.sourceLabel} for index ${indexCode}, run the pipeline first`);
  }
  const portfolioDate = text(latest, 'dt');
  if (!isIsoDate(portfolioDate)) throw new ReportError(`report: dt is not a YYYY-MM-DD day, got ${portfolioDate}`);
  const onLatest = `${ofIndex} AND dt = DATE '${portfolioDate}'`;

  const latestRows = (
    await query(
      `SELECT ticker, company_name, share_class, sector, CAST(weight_pct AS DOUBLE) AS weight_pct,
              CAST(session_date AS VARCHAR) AS session_date
         FROM ${rel} WHERE ${onLatest}
        ORDER BY weight_pct DESC, ticker`,
    )
  ).map(toLatestRow);

  // The largest tickers go into the query as literals, not as a subquery: on the date × ticker
  // table a literal IN list lets DuckDB (and Athena) prune the ticker partitions; the daily
  // table answers it from one file a day.
  const largest = [...latestRows].sort(byWeightDesc).slice(0, historyTickers).map((r) => r.ticker);
  for (const t of largest) if (!TICKER.test(t)) throw new ReportError(`report: ticker must be letters and digits, got ${t}`);
  const history = (
    await query(
      `SELECT CAST(dt AS VARCHAR) AS dt, ticker, CAST(weight_pct AS DOUBLE) AS weight_pct
         FROM ${options.historyRelation ?? rel}
        WHERE ${ofIndex} AND ticker IN (${largest.map((t) => `'${t}'`).join(', ')})${upTo}
        ORDER BY dt, ticker`,
    )
  ).map(toWeightPoint);

  return {
    indexCode,
    portfolioDate,
    latestRows,
    history,
    totalRows: count(summary.total_rows, 'total rows'),
    dayCount: count(summary.day_count, 'day count'),
    // The view exists in the local catalog once quotes are cataloged; without it, null.
    d1Session: await readD1Session(query, indexCode, portfolioDate),
  };
}

function text(value: unknown, column: string): string {
  if (typeof value !== 'string') throw new ReportError(`report: column ${column} must be text, got ${describe(value)}`);
  return value;
}

function day(value: unknown, column: string): string {
  const v = text(value, column);
  if (!isIsoDate(v)) throw new ReportError(`report: column ${column} must be a YYYY-MM-DD day, got ${v}`);
  return v;
}

function num(value: unknown, column: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ReportError(`report: column ${column} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

function count(value: unknown, what: string): number {
  const n = num(value, what);
  if (!Number.isSafeInteger(n) || n < 0) throw new ReportError(`report: ${what} must be a count, got ${n}`);
  return n;
}

function describe(value: unknown): string {
  return value === null ? 'null' : `${typeof value} ${String(value)}`;
}

function toLatestRow(r: Record<string, unknown>): LatestDayRow {
  return {
    ticker: text(r.ticker, 'ticker'),
    company_name: text(r.company_name, 'company_name'),
    share_class: text(r.share_class, 'share_class'),
    // The contract allows a null sector (days that came from B3's CSV download).
    sector: r.sector === null ? null : text(r.sector, 'sector'),
    weight_pct: num(r.weight_pct, 'weight_pct'),
    session_date: day(r.session_date, 'session_date'),
  };
}

function toWeightPoint(r: Record<string, unknown>): WeightPoint {
  return { dt: day(r.dt, 'dt'), ticker: text(r.ticker, 'ticker'), weight_pct: num(r.weight_pct, 'weight_pct') };
}
