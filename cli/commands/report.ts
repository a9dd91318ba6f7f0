import { basename, dirname, join, resolve } from 'node:path';
import { isIsoDate, type IsoDate } from '../../lib/calendar/iso-date';
import { UsageError } from '../../lib/errors';
import { DEFAULT_TOP_N, type ReportModel } from '../../lib/report/report-model';
import { buildReport } from '../../adapters/report/build-report';
import { openRefinedSource } from '../../adapters/report/refined-source';
import { LocalLakeStore } from '../../adapters/storage/local-lake-store';
import { parseOptions, type Command } from '../command';
import { readLake } from '../lake-access';

const HELP = `Usage: npm start -- report [--lake DIR] [--out FILE] [--top N] [--index CODE] [--date YYYY-MM-DD] [--verbose]

Builds a self-contained HTML report (inline SVG charts drawn with Vega-Lite, no scripts, no
network) from the refined table b3_portfolio_refined: the largest weights of the latest day (or of --date),
weight by sector, the weight history of the largest tickers across every day in the lake, and
the pregão D-1 section from the view b3_portfolio_d1 (the cross-source check, the index level at
the D-1 close, the constituents' biggest moves and volumes, a chart).
Reads <lake>/catalog.duckdb when it exists, else the Parquet under <lake>/refined/.

Options:
  --lake DIR     local data lake folder (default: ./lake)
  --out FILE     where to write the page (default: <lake>/reports/ibov-report.html)
  --top N        how many of the largest weights to chart (default: ${DEFAULT_TOP_N})
  --index CODE   which index's rows to report (default: IBOV)
  --date DAY     the portfolio day to report, as of that day (history up to it); default: the latest
  --verbose      progress lines and stack traces on stderr
  -h, --help     show this help
`;

export interface ReportOptions {
  readonly lake: string;
  readonly out: string;
  readonly top: number;
  readonly index: string;
  readonly date?: IsoDate;
}

/** Parses `report`'s own arguments into absolute paths (relative to `cwd`); mistakes are UsageErrors. */
export function parseReportArgs(argv: readonly string[], cwd: string): ReportOptions {
  const values = parseOptions('report', argv, {
    lake: { type: 'string' },
    out: { type: 'string' },
    top: { type: 'string' },
    index: { type: 'string' },
    date: { type: 'string' },
  });
  if (values.date !== undefined && !isIsoDate(values.date)) throw new UsageError(`report: --date must be a YYYY-MM-DD day, got ${values.date}`);
  const topText = values.top ?? String(DEFAULT_TOP_N);
  const top = Number(topText);
  if (!/^[1-9]\d*$/.test(topText) || !Number.isSafeInteger(top)) {
    throw new UsageError(`report: --top must be a positive integer, got ${topText}`);
  }
  const index = (values.index ?? 'IBOV').toUpperCase();
  if (!/^[A-Z0-9]{2,12}$/.test(index)) throw new UsageError(`report: --index must be 2-12 letters or digits, got ${values.index}`);
  const lake = resolve(cwd, values.lake ?? 'lake');
  return { lake, out: resolve(cwd, values.out ?? join(lake, 'reports', 'ibov-report.html')), top, index, ...(values.date === undefined ? {} : { date: values.date }) };
}

export interface ReportResult {
  readonly outPath: string;
  readonly model: ReportModel;
  readonly bytes: number;
}

/** Reads the lake, renders the page and writes it whole (LocalLakeStore.put: temp file + rename, never half a page). */
export async function runReport(options: ReportOptions, progress: (line: string) => void = () => undefined): Promise<ReportResult> {
  const source = await openRefinedSource(options.lake);
  let built;
  try {
    progress(`report: reading ${source.sourceLabel}`);
    built = await buildReport(source.query, {
      relation: source.relation,
      historyRelation: source.historyRelation,
      sourceLabel: source.sourceLabel,
      indexCode: options.index,
      topN: options.top,
      ...(options.date === undefined ? {} : { portfolioDate: options.date }),
    });
  } finally {
    source.close();
  }
  const outPath = options.out;
  const body = Buffer.from(built.html, 'utf8');
  await new LocalLakeStore(dirname(outPath)).put(basename(outPath), body);
  return { outPath, model: built.model, bytes: body.byteLength };
}

/** The one-paragraph summary the command prints after writing the page. */
export function describeReport(result: ReportResult): string {
  const m = result.model;
  const leaders = m.leaders.map((w) => `${w.ticker} ${w.weightPct.toFixed(3)}%`).join(', ');
  return [
    `report written: ${result.outPath} (${result.bytes} bytes)`,
    `${m.indexCode} portfolio ${m.portfolioDate} (D-1 session ${m.sessionDate}): ${m.latestRowCount} rows, ${m.dayCount} day(s) in the lake`,
    `largest weights: ${leaders}`,
  ].join('\n');
}

export const reportCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const options = parseReportArgs(argv, ctx.cwd);
    ctx.stdout(describeReport(await readLake(options.lake, ctx, () => runReport(options, ctx.progress))));
  },
};
