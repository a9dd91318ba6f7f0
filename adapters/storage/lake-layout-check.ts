import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../../lib/errors';
import { OLD_LAYOUT_DAY, RAW_PORTFOLIO_PREFIX, RAW_ZONE, REFINED_ZONE } from '../../lib/lake/layout';
import { REFINED_TABLE_PREFIX } from '../../lib/refined/refined-contract';

const dayDirsUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && OLD_LAYOUT_DAY.test(e.name)).map((e) => e.name) : [];

/**
 * Refuses a local lake in the layout before issue 8 (`raw/dt=…`, `refined/dt=…`) with one line
 * saying how to move it. Reading it half-way would look like an empty lake.
 */
export function assertCurrentLakeLayout(lakeDir: string): void {
  const oldRaw = dayDirsUnder(join(lakeDir, RAW_ZONE));
  const oldRefined = dayDirsUnder(join(lakeDir, REFINED_ZONE));
  if (oldRaw.length === 0 && oldRefined.length === 0) return;
  const found = [oldRaw.length ? `${RAW_ZONE}${oldRaw[0]}/` : '', oldRefined.length ? `${REFINED_ZONE}${oldRefined[0]}/` : ''].filter(Boolean).join(' and ');
  // Raw moves; refined is rebuilt from it (a refined day of the old layout cannot be told apart by table).
  const steps = [
    ...(oldRaw.length ? [`mkdir -p ${RAW_PORTFOLIO_PREFIX}`, `mv ${RAW_ZONE}dt=* ${RAW_PORTFOLIO_PREFIX}`] : []),
    `rm -rf ${oldRefined.length ? `${REFINED_ZONE}dt=* ` : ''}catalog.duckdb .bookmarks`,
  ];
  throw new PipelineError(
    `local-lake: ${lakeDir} is in the old layout (${found}); move it with: (cd ${lakeDir} && ${steps.join(' && ')}), then npm start -- refine --all --lake ${lakeDir} rebuilds ${REFINED_TABLE_PREFIX}`,
  );
}
