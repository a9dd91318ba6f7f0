import { buildReportModel, DEFAULT_TOP_N, type ReportModel } from '../../lib/report/report-model';
import { renderReportHtml } from '../../lib/report/report-html';
import { reportSpecs } from '../../lib/report/report-specs';
import { readReportInput, type QueryFn, type ReportReadOptions } from './refined-report-reader';
import { renderCharts } from './render-svg';

export interface BuiltReport {
  readonly html: string;
  readonly model: ReportModel;
}

/** Rows by SQL → model → Vega-Lite specs → SVG → one self-contained HTML page (not written). */
export async function buildReport(query: QueryFn, options: ReportReadOptions & { readonly topN?: number }): Promise<BuiltReport> {
  const input = await readReportInput(query, options);
  const model = buildReportModel(input, options.topN ?? DEFAULT_TOP_N);
  const charts = await renderCharts(reportSpecs(model));
  return { html: renderReportHtml(model, charts), model };
}
