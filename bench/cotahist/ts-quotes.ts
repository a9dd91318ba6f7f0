import { createReadStream, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ReplayCotahistSource } from '../../adapters/b3-http/replay-cotahist-source';
import { LocalLakeStore } from '../../adapters/storage/local-lake-store';
import { readCotahistBody } from '../../lib/cotahist/body';
import type { QuoteRecordSink } from '../../lib/cotahist/parser';
import { replayQuotes } from '../../lib/pipeline/replay-quotes';
import { rawQuotesKey } from '../../lib/raw/quotes-contract';
import { RawQuotesParquet } from '../../lib/raw/quotes-parquet';

/**
 * Our path: every COTAHIST text in IN_DIR into raw quotes Parquet, one file per session under
 * OUT_DIR/raw/quotes/dt=…/. Prints {"sessions":…,"rows":…}. MODE:
 * - `replay` (the default): what `npm start -- scrape --replay F1 --replay F2 …` runs,
 *   replayQuotes over the files (the lake's atomic puts included);
 * - `scrape`: each file as a daily scrape handles its session (lib/pipeline/scrape-quotes.ts),
 *   written with a plain writeFileSync;
 * - `read`, `parse`, `collect`: `scrape` stopped early, to see where the time goes (`read` only
 *   streams the files, `parse` also parses and checks every record, `collect` also fills the
 *   columns).
 * Usage: IN_DIR OUT_DIR [MODE]
 */
const MODES = ['read', 'parse', 'collect', 'scrape', 'replay'] as const;
type Mode = (typeof MODES)[number];

/** `parse`: every record checked, none kept. */
const DISCARD = new (class implements QuoteRecordSink {
  addRecords(): void {}
})();

async function scrape(files: readonly string[], outDir: string, mode: Mode): Promise<number> {
  let rows = 0;
  for (const file of files) {
    const chunks = createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>;
    if (mode === 'read') {
      for await (const chunk of chunks) rows += chunk.length > 0 ? 0 : 1;
      continue;
    }
    const parquet = new RawQuotesParquet();
    const read = await readCotahistBody(chunks, { accept: ['text'], records: mode === 'parse' ? DISCARD : parquet });
    rows += read.quotes;
    if (mode === 'parse' || mode === 'collect') continue;
    const out = path.join(outDir, rawQuotesKey(read.session));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, parquet.encode());
  }
  return rows;
}

async function replay(files: readonly string[], outDir: string): Promise<number> {
  const staging = path.join(outDir, '.staging');
  try {
    const written = await replayQuotes({ files: files.map((f) => new ReplayCotahistSource(f)), store: new LocalLakeStore(outDir), staging: new LocalLakeStore(staging) });
    return written.reduce((n, w) => n + w.quotes, 0);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function main(inDir: string, outDir: string, mode: Mode): Promise<void> {
  const files = readdirSync(inDir)
    .filter((f) => /^COTAHIST_D\d{8}\.TXT$/.test(f))
    .sort()
    .map((f) => path.join(inDir, f));
  const rows = mode === 'replay' ? await replay(files, outDir) : await scrape(files, outDir, mode);
  console.log(JSON.stringify({ sessions: files.length, rows }));
}

const [inDir, outDir, mode = 'replay'] = process.argv.slice(2);
if (!MODES.includes(mode as Mode)) throw new Error(`bench: MODE is one of ${MODES.join(', ')}, got ${mode}`);
void main(inDir, outDir, mode as Mode);
