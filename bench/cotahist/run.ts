import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildSync } from 'esbuild';
import { ROOT, measure, measureCommand, median, nodeV8StartMs, ratio, withoutExtraCaCerts, type Measured } from '../support/measure';
import { buildInput } from './build-input';

/**
 * COTAHIST texts → raw quotes Parquet, whole processes, against (a) pandas read_fwf + pyarrow and
 * (b) DuckDB SQL substr over a one-column read_csv (and its earlier, slower formulation), all
 * writing the same rows and types (checked with EXCEPT ALL both ways). Then ours on 60 sessions:
 * memory must stay flat. The 1-minute load average is recorded: the machine is shared.
 * Usage: npx tsx bench/cotahist/run.ts [runs=5] [FIXTURES]
 */
const RUNS = Number(process.argv[2] ?? 5);
const FIXTURES = path.resolve(process.argv[3] ?? path.join(ROOT, '../shared/fixtures/cotahist'));
const PYTHON = [path.join(ROOT, '.venv/bin/python'), 'python3'].find((p) => p === 'python3' || existsSync(p))!;

interface Contender {
  readonly name: string;
  readonly run: (inDir: string, outDir: string) => Measured;
}

const work = mkdtempSync(path.join(tmpdir(), 'bench-cotahist-'));
// What a deployed scraper runs: the same code bundled by esbuild, started by plain node (no tsx).
const bundle = path.join(work, 'ts-quotes.js');
const esbuild = (entry: string, outfile: string) => buildSync({ entryPoints: [path.join(ROOT, entry)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'silent' });
esbuild('bench/cotahist/ts-quotes.ts', bundle);

// Every contender runs in this environment without NODE_EXTRA_CA_CERTS, as a deployed function
// does (bench/support/measure.ts says why); ours runs once more with it when the machine sets it.
const ENV = withoutExtraCaCerts();
const EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;

const OURS = 'ours, node on the esbuild bundle';
const OURS_WITH_CA_CERTS = "ours, the bundle with this machine's NODE_EXTRA_CA_CERTS";
const PANDAS = 'pandas read_fwf + pyarrow';
const PANDAS_ONE_FRAME = 'pandas, every file in one DataFrame';
const DUCKDB = 'DuckDB SQL substr(read_csv)';
const python = (script: string) => (i: string, o: string) => measureCommand(PYTHON, [path.join(ROOT, 'bench/cotahist', script), i, o], ENV);
const contenders: Contender[] = [
  { name: OURS, run: (i, o) => measureCommand(process.execPath, [bundle, i, o], ENV) },
  // Not a goal's row: the same, paying node's parse of the machine's extra certificates at start-up.
  ...(EXTRA_CA_CERTS === undefined ? [] : [{ name: OURS_WITH_CA_CERTS, run: (i: string, o: string) => measureCommand(process.execPath, [bundle, i, o]) }]),
  // Not a goal's row: the loop of a daily scrape (readCotahistBody into RawQuotesParquet, writeFileSync), without the lake's atomic puts.
  { name: 'ours, the daily scrape loop, file after file', run: (i, o) => measureCommand(process.execPath, [bundle, i, o, 'scrape'], ENV) },
  { name: 'ours, tsx (TypeScript compiled at start)', run: (i, o) => measure(path.join(ROOT, 'bench/cotahist/ts-quotes.ts'), [i, o], ENV) },
  { name: PANDAS, run: python('pandas_quotes.py') },
  // Not a goal's baseline: the peers' idiom, all files concatenated (its memory is the issue's 584 MiB); slower than a file at a time.
  { name: PANDAS_ONE_FRAME, run: python('pandas_quotes_one_frame.py') },
  { name: DUCKDB, run: python('duckdb_quotes.py') },
  // Not a goal's baseline: the first formulation of (b), to show what it cost (duckdb_quotes_earlier.py).
  { name: 'DuckDB SQL, earlier formulation', run: python('duckdb_quotes_earlier.py') },
];

async function differences(a: string, b: string): Promise<number> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const src = (d: string) => `read_parquet('${path.join(d, 'raw/quotes/*/cotahist.parquet')}')`;
    const count = async (x: string, y: string) =>
      Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM (SELECT * FROM ${src(x)} EXCEPT ALL SELECT * FROM ${src(y)})`)).getRowObjects()[0].n);
    return (await count(a, b)) + (await count(b, a));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

async function main(): Promise<void> {
  try {
    const input = path.join(work, 'in20');
    const built = buildInput(input, 20, FIXTURES);
    console.log(`input: 20 sessions, ${(built.bytes / 1e6).toFixed(1)} MB, ${built.records} records`);
    const seen: Record<string, Measured[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
    const loadBefore = loadavg()[0];
    const outs: Record<string, string> = {};
    // Runs interleave so the shared machine's noise falls on every contender alike.
    for (let r = 0; r < RUNS; r++) {
      for (const c of contenders) {
        const out = path.join(work, `out-${contenders.indexOf(c)}-${r}`);
        const m = c.run(input, out);
        if (m.out.rows !== built.records) throw new Error(`bench: ${c.name} wrote ${String(m.out.rows)} rows, got ${built.records} records in`);
        seen[c.name].push(m);
        if (r === 0) outs[c.name] = out;
        else rmSync(out, { recursive: true, force: true });
      }
    }
    const loadAfter = loadavg()[0];
    for (const c of contenders.slice(1)) {
      const diff = await differences(outs[OURS], outs[c.name]);
      if (diff !== 0) throw new Error(`bench: ${c.name} and ours differ in ${diff} rows`);
    }
    const input60 = path.join(work, 'in60');
    const built60 = buildInput(input60, 60, FIXTURES);
    const sixty = contenders[0].run(input60, path.join(work, 'out60'));
    const v8Start = { without_extra_ca_certs_ms: nodeV8StartMs(ENV), ...(EXTRA_CA_CERTS === undefined ? {} : { with_extra_ca_certs_ms: nodeV8StartMs(process.env) }) };
    const load60 = loadavg()[0];
    const rows = contenders.map((c) => ({
      contender: c.name,
      wall_s: median(seen[c.name].map((m) => m.wallMs)) / 1000,
      peak_rss_mib: median(seen[c.name].map((m) => m.peakRssMiB)),
    }));
    const row = (name: string) => rows.find((r) => r.contender === name)!;
    const [t, pandas, duck, oneFrame] = [row(OURS), row(PANDAS), row(DUCKDB), row(PANDAS_ONE_FRAME)];
    const result = {
      bench: 'cotahist: 20 sessions of COTAHIST text -> raw quotes Parquet, whole processes',
      at: new Date().toISOString(),
      runs: RUNS,
      load_average_1min: { before: loadBefore, after: loadAfter, after_sixty: load60 },
      input: { sessions: 20, bytes: built.bytes, records: built.records },
      rows,
      ratio_to_pandas: ratio(t.wall_s, pandas.wall_s),
      ratio_to_duckdb: ratio(t.wall_s, duck.wall_s),
      ratio_to_pandas_one_frame: ratio(t.wall_s, oneFrame.wall_s),
      ...(EXTRA_CA_CERTS === undefined ? {} : { ratio_to_pandas_with_extra_ca_certs: ratio(row(OURS_WITH_CA_CERTS).wall_s, pandas.wall_s) }),
      node_v8_start: v8Start,
      sixty_sessions: { records: built60.records, wall_s: sixty.wallMs / 1000, peak_rss_mib: sixty.peakRssMiB, rss_growth: ratio(sixty.peakRssMiB, t.peak_rss_mib) },
      goals: 'ratio_to_pandas <= 0.15, ratio_to_duckdb <= 1.0, peak RSS <= 200 MiB, 60-session RSS within +10%',
    };
    for (const r of rows) console.log(`${r.contender.padEnd(48)} ${r.wall_s.toFixed(2).padStart(6)} s ${String(r.peak_rss_mib).padStart(5)} MiB`);
    console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after the runs`);
    if (EXTRA_CA_CERTS !== undefined) {
      console.log(
        `every contender ran without NODE_EXTRA_CA_CERTS (${EXTRA_CA_CERTS}), ours also with it: node's V8 starts at ${v8Start.with_extra_ca_certs_ms} ms with it, ${v8Start.without_extra_ca_certs_ms} ms without; ours / pandas with it ${result.ratio_to_pandas_with_extra_ca_certs}`,
      );
    }
    console.log(`ours / pandas ${result.ratio_to_pandas} (one DataFrame: ${result.ratio_to_pandas_one_frame}), ours / DuckDB ${result.ratio_to_duckdb}; 60 sessions (${built60.records} records): ${result.sixty_sessions.wall_s} s, ${sixty.peakRssMiB} MiB (x${result.sixty_sessions.rss_growth})`);
    const dir = path.join(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `cotahist-${result.at.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
