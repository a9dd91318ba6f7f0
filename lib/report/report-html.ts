import { formatIndexPoints } from '../d1-session/weight-check';
import type { D1Move } from './d1-section';
import type { ReportModel, RankedWeight } from './report-model';
import { ReportError } from './report-model';
import type { ChartId } from './report-specs';

/** A chart already rendered to SVG markup (by the Vega adapter). */
export interface RenderedChart {
  readonly id: ChartId;
  readonly title: string;
  readonly svg: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Percent with B3's own precision (3 decimals). */
function formatPct(value: number): string {
  return `${value.toFixed(3)} %`;
}

/**
 * The page refuses SVG that is not a bare <svg> element or that carries script: it is inlined
 * as markup, so it must come from the renderer, never from data.
 */
function checkSvg(chart: RenderedChart): string {
  const svg = chart.svg.trim();
  if (!svg.startsWith('<svg') || !svg.endsWith('</svg>')) {
    throw new ReportError(`report: chart ${chart.id} is not an SVG element, got ${JSON.stringify(svg.slice(0, 40))}`);
  }
  if (/<script|<foreignObject|\son\w+\s*=/i.test(svg)) {
    throw new ReportError(`report: chart ${chart.id} SVG carries script or foreign content, got ${chart.id}`);
  }
  return svg;
}

function leaderRow(w: RankedWeight): string {
  const cells = [String(w.rank), w.ticker, w.companyName, w.shareClass, w.sector ?? '—', formatPct(w.weightPct)];
  return `<tr>${cells.map((c, i) => (i === 5 ? `<td class="num">${escapeHtml(c)}</td>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`;
}

// No external resource of any kind: the CSP forbids every fetch, so a reader opening the file
// offline sees exactly what the test's browser saw.
const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; }
header p { color: #555; margin: 0 0 12px; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 0 0 16px; }
dl.facts dt { color: #555; } dl.facts dd { margin: 0; font-weight: bold; }
table.leaders { border-collapse: collapse; margin-bottom: 24px; }
table.leaders th, table.leaders td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }
table.leaders td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 32px; } figure svg { max-width: 100%; height: auto; }
footer { color: #777; font-size: 12px; }
section#d1 h2 { font-size: 18px; margin: 8px 0; }
section#d1 p.check { font-weight: bold; } section#d1 p.check.warning { color: #b22222; }
section#d1 table { border-collapse: collapse; margin: 0 24px 24px 0; display: inline-table; vertical-align: top; }
section#d1 th, section#d1 td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }
section#d1 td.num { text-align: right; font-variant-numeric: tabular-nums; }
`;

const brl = (x: number, digits = 2) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signedPct = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(2)} %`);

function moveTable(caption: string, cls: string, moves: readonly D1Move[]): string {
  const row = (m: D1Move) =>
    `<tr><td>${escapeHtml(m.ticker)}</td><td>${escapeHtml(m.companyName)}</td>` +
    [brl(m.closePrice), signedPct(m.returnPct), brl(m.volumeBrl / 1e6, 1), String(m.trades)].map((c) => `<td class="num">${escapeHtml(c)}</td>`).join('') +
    '</tr>';
  return `<table class="${cls}">
<caption>${escapeHtml(caption)}</caption>
<thead><tr><th>ticker</th><th>company</th><th>close (R$)</th><th>return</th><th>volume (R$ mn)</th><th>trades</th></tr></thead>
<tbody>
${moves.map(row).join('\n')}
</tbody>
</table>`;
}

/** The pregão D-1 section: the cross-source check, the index level, the moves, the volumes, its chart. */
function d1Section(model: ReportModel, figure: string | undefined): string {
  const d1 = model.d1;
  if (d1 === null) {
    return `<section id="d1">
<h2>Pregão D-1 session ${escapeHtml(model.sessionDate)}</h2>
<p class="check warning">warning: no quotes of the D-1 session ${escapeHtml(model.sessionDate)} in the lake (b3_quotes_refined): weights not checked, no index level</p>
</section>`;
  }
  const c = d1.check;
  const facts: [string, string][] = [
    ['Index level at the D-1 close', c.indexLevel === null ? `not reconstructed: ${c.withoutQuote.length} constituent(s) without a quote` : `${formatIndexPoints(c.indexLevel)} points`],
    ['Returns against', d1.previousSessionDate ?? 'no previous session in the lake'],
  ];
  const moves = d1.biggestMoves.slice(0, 5);
  return `<section id="d1">
<h2>Pregão D-1 session ${escapeHtml(d1.sessionDate)}</h2>
<p class="check${c.ok ? '' : ' warning'}">${escapeHtml(d1.checkLine)}</p>
<dl class="facts">
${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
${moves.length ? moveTable('Biggest moves', 'd1-moves', moves) : ''}
${moveTable('Largest volumes', 'd1-volumes', d1.largestVolumes.slice(0, 5))}
${figure ?? ''}
</section>`;
}

/** The whole self-contained page: header facts, the top-5 table, then the three charts inline. */
export function renderReportHtml(model: ReportModel, charts: readonly RenderedChart[]): string {
  const title = `${model.indexCode} portfolio on ${model.portfolioDate}`;
  const facts: [string, string][] = [
    ['Portfolio date', model.portfolioDate],
    ['D-1 session date', model.sessionDate],
    ['Rows on the portfolio date', String(model.latestRowCount)],
    ['Portfolio days in the lake', `${model.dayCount} (${model.firstDay} to ${model.portfolioDate})`],
    ['Rows in the lake', String(model.totalRows)],
  ];
  const figureOf = (c: RenderedChart) => `<figure id="${escapeHtml(c.id)}" aria-label="${escapeHtml(c.title)}">\n${checkSvg(c)}\n</figure>`;
  const d1Chart = charts.find((c) => c.id === 'd1-session');
  const figures = charts.filter((c) => c !== d1Chart).map(figureOf);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p>Refined table b3_portfolio_refined: weights of the ${escapeHtml(model.indexCode)} theoretical portfolio, in percent.</p>
<dl class="facts">
${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
<table class="leaders">
<caption>Top ${model.leaders.length} weights</caption>
<thead><tr><th>#</th><th>ticker</th><th>company</th><th>share class</th><th>sector</th><th>weight</th></tr></thead>
<tbody>
${model.leaders.map(leaderRow).join('\n')}
</tbody>
</table>
</header>
<main>
${figures.join('\n')}
${d1Section(model, d1Chart && figureOf(d1Chart))}
</main>
<footer>Charts: Vega-Lite rendered to SVG. Source: B3 index portfolio and B3's COTAHIST quotes of the pregão D-1 (view b3_portfolio_d1).</footer>
</body>
</html>
`;
}
