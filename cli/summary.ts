import { formatD1Check, formatIndexLevel, type D1WeightCheck } from '../lib/d1-session/weight-check';
import type { PipelineRun } from '../lib/pipeline/run-pipeline';

const weights = (run: PipelineRun): string => run.refined.largest.map((w) => `${w.ticker} ${w.weight_pct.toFixed(3)}%`).join(', ');

/**
 * The cross-source check's lines: the portfolio's weights against its D-1 closes, and the index
 * level they give; `null` is a lake with no quotes cataloged, said as a warning (never silence).
 */
export function formatD1Lines(run: PipelineRun, check: D1WeightCheck | null): string[] {
  if (check === null) {
    return [`  cross-source check: warning: no quotes of the D-1 session ${run.scraped.session_date} in the lake (b3_quotes_refined), weights not checked`];
  }
  return [`  cross-source check: ${formatD1Check(check)}`, `  ${formatIndexLevel(check)}`];
}

/**
 * What `run` prints per index: the day, its D-1 session, rows, partitions and the largest
 * weights; then the cross-source check when the target has one (the local catalog).
 */
export function formatRunSummary(run: PipelineRun, catalogLabel: string, check?: D1WeightCheck | null): string {
  const s = run.scraped;
  return [
    `${s.index} portfolio ${s.portfolio_date} (D-1 session ${s.session_date}), source ${s.source}`,
    `  raw: ${s.rows} rows -> ${s.location}`,
    `  refined: ${run.refined.rows} rows in ${run.refined.partitions} ticker partitions -> ${run.refined_location} (job run ${run.run_ids.join(', ')})`,
    ...(run.quotes ? [`  D-1 quotes: ${run.quotes.quotes} quotes of ${run.quotes.session_date} (every market) -> ${run.quotes.location}, refined into b3_quotes_refined`] : []),
    `  catalog: ${catalogLabel}`,
    `  ${run.refined.largest.length} largest weights: ${weights(run)}`,
    ...(check === undefined ? [] : formatD1Lines(run, check)),
  ].join('\n');
}

/** One line per replayed day, for the demo. */
export function formatRunLine(run: PipelineRun): string {
  const s = run.scraped;
  return `${s.index} ${s.portfolio_date} (D-1 ${s.session_date}, ${s.source}): ${s.rows} raw rows -> ${run.refined.rows} refined rows in ${run.refined.partitions} partitions; largest ${weights(run)}`;
}
