/**
 * Run by render-svg.int.test.ts with tsx, in its own process: vega is ESM-only with top-level
 * await, which jest's CommonJS runtime cannot load. Reads ChartSpecs as JSON on stdin and
 * writes, per chart, its SVG or its error message as JSON on stdout.
 */
import { renderSvg } from '../../../adapters/report/render-svg';
import type { ChartSpec } from '../../../lib/report/report-specs';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const specs = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChartSpec[];
  const out: ({ svg: string } | { error: string; name: string })[] = [];
  for (const s of specs) {
    try {
      out.push({ svg: (await renderSvg(s)).svg });
    } catch (err) {
      out.push({ error: (err as Error).message, name: (err as Error).name });
    }
  }
  process.stdout.write(JSON.stringify(out));
}

void main();
