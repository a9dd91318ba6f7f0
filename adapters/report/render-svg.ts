import type * as VegaLite from 'vega-lite/build/index';
import type * as Vega from 'vega';
import { PipelineError } from '../../lib/errors';
import type { ChartSpec } from '../../lib/report/report-specs';
import type { RenderedChart } from '../../lib/report/report-html';

/**
 * vega and vega-lite are ES modules only, and vega-canvas uses top-level await, so `require`
 * cannot load them. TypeScript turns `import()` into `require` under module=commonjs; a
 * Function body keeps Node's real dynamic import (tsx and plain node both provide it).
 */
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

interface VegaModules {
  readonly vl: typeof VegaLite;
  readonly vega: typeof Vega;
}

let modules: Promise<VegaModules> | undefined;

function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([importEsm<typeof VegaLite>('vega-lite'), importEsm<typeof Vega>('vega')]).then(([vl, vega]) => ({ vl, vega }));
  return modules;
}

/**
 * Compiles a Vega-Lite spec to Vega and renders it headless to an SVG string: renderer 'none'
 * (no DOM, no canvas); the loader refuses every URL, so a spec can never reach the network.
 * Vega only logs a failed load or a bad encoding and draws the chart without it, so every
 * warning or error from either library fails the render instead of giving a silent half-chart.
 */
export async function renderSvg(chart: ChartSpec): Promise<RenderedChart> {
  const { vl, vega } = await loadVega();
  const problems: unknown[][] = [];
  const logger = vega.logger(vega.Warn, undefined, (_method: string, _level: string, input: readonly unknown[]) => {
    problems.push([...input]);
  });
  let view: Vega.View | undefined;
  let svg: string;
  try {
    const compiled = vl.compile(chart.spec, { logger }).spec;
    const loader = vega.loader();
    loader.load = (uri: string) => Promise.reject(new PipelineError(`report: charts load no external data, got ${uri}`));
    view = new vega.View(vega.parse(compiled), { renderer: 'none', loader, logger });
    svg = await view.toSVG();
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    throw new PipelineError(`report: cannot render chart ${chart.id}, got ${(err as Error).message}`, { cause: err });
  } finally {
    view?.finalize();
  }
  if (problems.length > 0) {
    const refusal = problems.flat().find((p): p is PipelineError => p instanceof PipelineError);
    if (refusal) throw refusal;
    const text = problems.map((args) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')).join('; ');
    throw new PipelineError(`report: chart ${chart.id} did not render cleanly, got ${text}`);
  }
  return { id: chart.id, title: chart.title, svg };
}

/** Renders charts one after the other (vega views are cheap; order is the page order). */
export async function renderCharts(charts: readonly ChartSpec[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of charts) out.push(await renderSvg(c));
  return out;
}
