import { createReadStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readCotahistBody } from '../../lib/cotahist/body';
import { rawQuotesKey } from '../../lib/raw/quotes-contract';
import { RawQuotesParquet } from '../../lib/raw/quotes-parquet';

/**
 * Our path: every COTAHIST text in IN_DIR streamed through the parser into raw quotes Parquet,
 * one file per session under OUT_DIR/raw/quotes/dt=…/, as the scrape does it (onRecord into
 * RawQuotesParquet.addRecord). Prints {"sessions":…,"rows":…}. STAGE stops early, to see where
 * the whole process's time goes: `read` only streams the files, `parse` also parses and checks
 * every record, `collect` also fills the columns, `all` (the default) encodes and writes too.
 * Usage: IN_DIR OUT_DIR [STAGE]
 */
const STAGES = ['read', 'parse', 'collect', 'all'] as const;
type Stage = (typeof STAGES)[number];

async function main(inDir: string, outDir: string, stage: Stage): Promise<void> {
  let rows = 0;
  const files = readdirSync(inDir).filter((f) => /^COTAHIST_D\d{8}\.TXT$/.test(f)).sort();
  for (const f of files) {
    const chunks = createReadStream(path.join(inDir, f), { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>;
    if (stage === 'read') {
      for await (const chunk of chunks) rows += chunk.length > 0 ? 0 : 1;
      continue;
    }
    const parquet = new RawQuotesParquet();
    const read = await readCotahistBody(chunks, { accept: ['text'], onRecord: stage === 'parse' ? () => undefined : (r, _session, numbers) => parquet.addRecord(r, numbers) });
    rows += read.quotes;
    if (stage !== 'all') continue;
    const out = path.join(outDir, rawQuotesKey(read.session));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, parquet.encode());
  }
  console.log(JSON.stringify({ sessions: files.length, rows }));
}

const [inDir, outDir, stage = 'all'] = process.argv.slice(2);
if (!STAGES.includes(stage as Stage)) throw new Error(`bench: STAGE is one of ${STAGES.join(', ')}, got ${stage}`);
void main(inDir, outDir, stage as Stage);
