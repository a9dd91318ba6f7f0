import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parse } from 'node-html-parser';
import { buildReportModel } from '../../../lib/report/report-model';
import { reportSpecs, type ChartSpec } from '../../../lib/report/report-specs';

const ROOT = path.join(__dirname, '../../..');

/** Renders in a tsx child process (see render-svg-probe.ts for why). */
function render(specs: unknown[]): ({ svg: string } | { error: string; name: string })[] {
  const child = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(__dirname, 'render-svg-probe.ts')], {
    input: JSON.stringify(specs),
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`render probe failed with ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

const model = buildReportModel(
  {
    indexCode: 'IBOV',
    portfolioDate: '2025-04-07',
    latestRows: [
      { ticker: 'VALE3', company_name: 'VALE', share_class: 'ON NM', sector: 'Mats Básicos / Mineração', weight_pct: 11.025, session_date: '2025-04-04' },
      { ticker: 'ITUB4', company_name: 'ITAUUNIBANCO', share_class: 'PN EJ N1', sector: 'Financ e Outros / Interms Financs', weight_pct: 8.044, session_date: '2025-04-04' },
      { ticker: 'PETR4', company_name: 'PETROBRAS', share_class: 'PN N2', sector: null, weight_pct: 7.502, session_date: '2025-04-04' },
    ],
    history: [
      { dt: '2023-12-15', ticker: 'VALE3', weight_pct: 14.4 },
      { dt: '2025-04-07', ticker: 'VALE3', weight_pct: 11.025 },
      { dt: '2025-04-07', ticker: 'ITUB4', weight_pct: 8.044 },
    ],
    totalRows: 6,
    dayCount: 2,
  },
  2,
);

describe('renderSvg (vega-lite → vega → SVG, headless)', () => {
  const [top, sectors, history] = render(reportSpecs(model)) as { svg: string }[];

  it('draws one bar per ranked ticker, labelled, under the chart title', () => {
    const svg = parse(top.svg);
    expect(svg.querySelectorAll('g.mark-rect.role-mark path').map((p) => p.getAttribute('aria-label'))).toEqual([
      'weight (%): 11.025; ticker: VALE3',
      'weight (%): 8.044; ticker: ITUB4',
    ]);
    expect(svg.querySelectorAll('g.mark-text.role-mark text').map((t) => t.text)).toEqual(['11.025', '8.044']);
    expect(svg.querySelector('g.role-title-text text')?.text).toBe('Largest weights on 2025-04-07');
    expect(top.svg.startsWith('<svg')).toBe(true);
  });

  it('draws one bar per sector, the unknown sector included', () => {
    const labels = parse(sectors.svg).querySelectorAll('g.role-axis-label text').map((t) => t.text);
    expect(labels).toEqual(expect.arrayContaining(['Mats Básicos / Mineração', 'Financ e Outros / Interms Financs', 'Unknown sector']));
    expect(parse(sectors.svg).querySelectorAll('g.mark-rect.role-mark path')).toHaveLength(3);
  });

  it('draws one line per history ticker, with its points', () => {
    const svg = parse(history.svg);
    expect(svg.querySelectorAll('g.mark-line.role-mark path')).toHaveLength(2);
    expect(svg.querySelectorAll('g.mark-symbol.role-mark path')).toHaveLength(3);
    expect(svg.querySelectorAll('g.role-legend-label text').map((t) => t.text)).toEqual(['VALE3', 'ITUB4']);
  });

  it('never fetches: a spec naming a URL fails with a report error instead', () => {
    const remote: ChartSpec = {
      id: 'top-weights',
      title: 'remote',
      spec: { data: { url: 'http://127.0.0.1:9/data.json' }, mark: 'bar', encoding: { x: { field: 'a', type: 'quantitative' } } },
    };
    expect(render([remote])).toEqual([{ error: 'report: charts load no external data, got http://127.0.0.1:9/data.json', name: 'PipelineError' }]);
  });

  it('fails on any Vega-Lite or Vega warning rather than drawing a chart with parts missing', () => {
    const dropped: ChartSpec = {
      id: 'sector-weights',
      title: 'shape on bars',
      spec: {
        data: { values: [{ a: 1, b: 'x' }] },
        mark: 'bar',
        encoding: { x: { field: 'a', type: 'quantitative' }, shape: { field: 'b', type: 'nominal' } },
      },
    };
    expect(render([dropped])).toEqual([
      { error: 'report: chart sector-weights did not render cleanly, got shape dropped as it is incompatible with "bar".', name: 'PipelineError' },
    ]);
  });
});
