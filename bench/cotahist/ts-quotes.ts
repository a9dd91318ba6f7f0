import { createReadStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readCotahistBody } from '../../lib/cotahist/body';
import { rawQuotesKey } from '../../lib/raw/quotes-contract';
import { RawQuotesParquet } from '../../lib/raw/quotes-parquet';

/**
 * Our path: every COTAHIST text in IN_DIR streamed through the parser into raw quotes Parquet,
 * one file per session under OUT_DIR/raw/quotes/dt=…/. Prints {"sessions":…,"rows":…}.
 */
async function main(inDir: string, outDir: string): Promise<void> {
  let rows = 0;
  const files = readdirSync(inDir).filter((f) => /^COTAHIST_D\d{8}\.TXT$/.test(f)).sort();
  for (const f of files) {
    const parquet = new RawQuotesParquet();
    const read = await readCotahistBody(createReadStream(path.join(inDir, f), { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>, {
      accept: ['text'],
      onRecord: (r) => parquet.addRecord(r),
    });
    const out = path.join(outDir, rawQuotesKey(read.session));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, parquet.encode());
    rows += read.quotes;
  }
  console.log(JSON.stringify({ sessions: files.length, rows }));
}

const [inDir, outDir] = process.argv.slice(2);
void main(inDir, outDir);
