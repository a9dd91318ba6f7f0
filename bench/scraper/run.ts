import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Replay -> raw Parquet as whole processes, cold start included, against pandas + pyarrow doing
 * the same job in the same run. Usage: npx tsx bench/scraper/run.ts [runs=15] [fixture]
 */
const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.argv[2] ?? 15);
const FIXTURE = path.resolve(process.argv[3] ?? path.join(ROOT, '__tests__/fixtures/b3/GetPortfolioDay_enus_seg2_2025-04-07.json'));
const RESULTS = path.join(ROOT, 'bench/results');

if (!Number.isSafeInteger(RUNS) || RUNS < 1) throw new Error(`bench: runs must be a positive integer, got ${process.argv[2]}`);

const work = mkdtempSync(path.join(tmpdir(), 'bench-scraper-'));
const bundle = path.join(work, 'scrape.js');
buildSync({
  entryPoints: [path.join(ROOT, 'bench/scraper/scrape-entry.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  outfile: bundle,
  logLevel: 'silent',
});

interface Contender {
  readonly name: string;
  readonly describe: string;
  readonly command: (lake: string) => [string, string[]];
  readonly output: (lake: string) => string;
}

const lakeFile = (lake: string) => path.join(lake, 'raw/portfolio/dt=2025-04-07/ibov.parquet');
const contenders: Contender[] = [
  {
    name: 'node-bundle',
    describe: `node ${path.basename(bundle)} (esbuild bundle of cli/run-cli + the scrape command, ${statSync(bundle).size} bytes)`,
    command: (lake) => [process.execPath, [bundle, 'scrape', '--replay', FIXTURE, '--lake', lake]],
    output: lakeFile,
  },
  {
    name: 'npm-start-tsx',
    describe: 'tsx cli/main.ts scrape (what `npm start -- scrape` runs, TypeScript compiled at start-up)',
    command: (lake) => [path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'cli/main.ts'), 'scrape', '--replay', FIXTURE, '--lake', lake]],
    output: lakeFile,
  },
  {
    name: 'python-pandas',
    describe: 'python3 bench/scraper/replay_pandas.py (pandas + pyarrow, snappy)',
    command: (lake) => ['python3', [path.join(ROOT, 'bench/scraper/replay_pandas.py'), FIXTURE, path.join(lake, 'out.parquet')]],
    output: (lake) => path.join(lake, 'out.parquet'),
  },
];

function runOnce(c: Contender): number {
  const lake = mkdtempSync(path.join(work, `${c.name}-`));
  const [cmd, args] = c.command(lake);
  const started = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, B3_BASE_URL: '' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0 || !existsSync(c.output(lake))) {
    throw new Error(`bench: ${c.name} failed, got exit ${res.status}: ${res.stderr.trim().split('\n')[0]}`);
  }
  rmSync(lake, { recursive: true, force: true });
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// One untimed run each warms the page cache for every contender alike; then runs interleave
// so machine noise (2 shared cores) spreads evenly over all of them.
for (const c of contenders) runOnce(c);
const times: Record<string, number[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
for (let i = 0; i < RUNS; i++) for (const c of contenders) times[c.name].push(runOnce(c));
rmSync(work, { recursive: true, force: true });

const medians = Object.fromEntries(contenders.map((c) => [c.name, median(times[c.name])]));
const base = medians['python-pandas'];
const result = {
  bench: 'scraper: replay JSON -> raw Parquet, whole process, cold start included',
  at: new Date().toISOString(),
  fixture: path.relative(ROOT, FIXTURE),
  runs: RUNS,
  node: process.version,
  contenders: contenders.map((c) => ({
    name: c.name,
    what: c.describe,
    median_ms: Math.round(medians[c.name] * 10) / 10,
    min_ms: Math.round(Math.min(...times[c.name]) * 10) / 10,
    max_ms: Math.round(Math.max(...times[c.name]) * 10) / 10,
    ratio_to_pandas: Math.round((medians[c.name] / base) * 1000) / 1000,
  })),
  goal: 'node-bundle ratio_to_pandas <= 0.25',
};

for (const c of result.contenders) {
  console.log(`${c.name.padEnd(14)} median ${String(c.median_ms).padStart(7)} ms  (min ${c.min_ms}, max ${c.max_ms})  ratio ${c.ratio_to_pandas}  ${c.what}`);
}
mkdirSync(RESULTS, { recursive: true });
const out = path.join(RESULTS, `scraper-${result.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written ${path.relative(ROOT, out)}`);
