import type { PipelineRun } from '../lib/pipeline/run-pipeline';

const weights = (run: PipelineRun): string => run.refined.largest.map((w) => `${w.ticker} ${w.weight_pct.toFixed(3)}%`).join(', ');

/** What `run` prints per index: the day, its D-1 session, rows, partitions and the largest weights. */
export function formatRunSummary(run: PipelineRun, catalogLabel: string): string {
  const s = run.scraped;
  return [
    `${s.index} portfolio ${s.portfolio_date} (D-1 session ${s.session_date}), source ${s.source}`,
    `  raw: ${s.rows} rows -> ${s.location}`,
    `  refined: ${run.refined.rows} rows in ${run.refined.partitions} ticker partitions -> ${run.refined_location} (job run ${run.run_ids.join(', ')})`,
    `  catalog: ${catalogLabel}`,
    `  ${run.refined.largest.length} largest weights: ${weights(run)}`,
  ].join('\n');
}

/** One line per replayed day, for the demo. */
export function formatRunLine(run: PipelineRun): string {
  const s = run.scraped;
  return `${s.index} ${s.portfolio_date} (D-1 ${s.session_date}, ${s.source}): ${s.rows} raw rows -> ${run.refined.rows} refined rows in ${run.refined.partitions} partitions; largest ${weights(run)}`;
}
