import { parse } from 'node-html-parser';
import { buildReportModel, ReportError, type LatestDayRow } from '../../../lib/report/report-model';
import { escapeHtml, renderReportHtml, type RenderedChart } from '../../../lib/report/report-html';

const hostile = '<script>alert("x")</script> & \'Cia\'';
const rows: LatestDayRow[] = [
  { ticker: 'VALE3', company_name: 'VALE', share_class: 'ON NM', sector: 'Mats Básicos / Mineração', weight_pct: 11.025, session_date: '2025-04-04' },
  { ticker: 'ITUB4', company_name: hostile, share_class: 'PN EJ N1', sector: null, weight_pct: 8.044, session_date: '2025-04-04' },
];
const model = buildReportModel({ indexCode: 'IBOV', portfolioDate: '2025-04-07', latestRows: rows, history: [], totalRows: 175, dayCount: 2 });

const svg = (label: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>${label}</text></svg>`;
const charts: RenderedChart[] = [
  { id: 'top-weights', title: 'Largest weights on 2025-04-07', svg: svg('a') },
  { id: 'sector-weights', title: 'Weight by sector <&>', svg: svg('b') },
  { id: 'weight-history', title: 'Weight history', svg: svg('c') },
];

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Cia&#39;');
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(model, charts);
  const doc = parse(html);

  it('has the header facts: portfolio date, D-1 session, row counts', () => {
    const facts = doc.querySelectorAll('dl.facts dt').map((dt, i) => [dt.text, doc.querySelectorAll('dl.facts dd')[i].text]);
    expect(facts).toEqual([
      ['Portfolio date', '2025-04-07'],
      ['D-1 session date', '2025-04-04'],
      ['Rows on the portfolio date', '2'],
      ['Portfolio days in the lake', '2 (2025-04-07 to 2025-04-07)'],
      ['Rows in the lake', '175'],
    ]);
    expect(doc.querySelector('title')?.text).toBe('IBOV portfolio on 2025-04-07');
  });

  it('escapes data in the top table: a company name cannot inject markup', () => {
    const cells = doc.querySelectorAll('table.leaders tbody tr').map((tr) => tr.querySelectorAll('td').map((td) => td.text));
    expect(cells).toEqual([
      ['1', 'VALE3', 'VALE', 'ON NM', 'Mats Básicos / Mineração', '11.025 %'],
      ['2', 'ITUB4', hostile, 'PN EJ N1', '—', '8.044 %'],
    ]);
    // The parsed text is the name itself; the markup holds only its escaped form.
    expect(doc.querySelectorAll('table.leaders td')[8].innerHTML).toBe(escapeHtml(hostile));
    expect(html).not.toMatch(/<script/i);
  });

  it('inlines each chart in its own figure, with an escaped caption', () => {
    expect(doc.querySelectorAll('figure').map((f) => [f.id, f.getAttribute('aria-label'), f.querySelector('svg text')?.text])).toEqual([
      ['top-weights', 'Largest weights on 2025-04-07', 'a'],
      ['sector-weights', 'Weight by sector <&>', 'b'],
      ['weight-history', 'Weight history', 'c'],
    ]);
    expect(html).toContain('aria-label="Weight by sector &lt;&amp;&gt;"');
  });

  it('forbids every fetch with a CSP and references nothing outside the file', () => {
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    );
    expect(doc.querySelectorAll('link, script, img, iframe, object')).toHaveLength(0);
    // Only SVG namespace declarations may mention a URL; they are names, never fetched.
    expect(html.replace(/xmlns(:\w+)?="[^"]*"/g, '')).not.toMatch(/https?:|src=|href=/);
  });

  it('refuses SVG that is not an SVG element or that carries script', () => {
    const bad = (s: string) => () => renderReportHtml(model, [{ ...charts[0], svg: s }]);
    expect(bad('<div></div>')).toThrow(new ReportError('report: chart top-weights is not an SVG element, got "<div></div>"'));
    expect(bad('<svg><script>alert(1)</script></svg>')).toThrow(
      new ReportError('report: chart top-weights SVG carries script or foreign content, got top-weights'),
    );
    expect(bad('<svg><rect onload="x()"/></svg>')).toThrow(ReportError);
  });
});
