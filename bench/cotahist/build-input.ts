import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';

/**
 * The benchmark's input: `sessions` daily COTAHIST texts built from the real fixture files, each
 * re-dated (header, trailer, every DATPRE) to its own consecutive B3 session from 2025-01-02, the
 * real files taken in turn. Usage: npx tsx bench/cotahist/build-input.ts OUT_DIR [sessions=20] [FIXTURES]
 */
// The three 2026 files, today's size of a session (≈ 15,000 records, 3.7 MB): 20 sessions ≈ 74 MB.
const SOURCES = ['COTAHIST_D26022026.TXT', 'COTAHIST_D27022026.TXT', 'COTAHIST_D02032026.TXT'];

export function buildInput(outDir: string, sessions: number, fixtures: string): { files: string[]; bytes: number; records: number } {
  const texts = SOURCES.map((f) => {
    const bytes = new Uint8Array(readFileSync(path.join(fixtures, f)));
    return Buffer.from(f.endsWith('.ZIP') ? Object.values(unzipSync(bytes))[0] : bytes).toString('latin1');
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  let records = 0;
  let day = '2025-01-01';
  for (let i = 0; i < sessions; i++) {
    day = b3TradingCalendar.nextTradingDay(day);
    const digits = day.replace(/-/g, '');
    const lines = texts[i % texts.length].split(/\r?\n/).filter((l) => l !== '');
    const redated = lines.map((l) => (l.startsWith('01') ? l.slice(0, 2) + digits + l.slice(10) : l.slice(0, 23) + digits + l.slice(31)));
    records += lines.length - 2;
    const file = path.join(outDir, `COTAHIST_D${digits.slice(6)}${digits.slice(4, 6)}${digits.slice(0, 4)}.TXT`);
    writeFileSync(file, Buffer.from(redated.join('\r\n') + '\r\n', 'latin1'));
    files.push(file);
  }
  const bytes = readdirSync(outDir).reduce((s, f) => s + statSync(path.join(outDir, f)).size, 0);
  return { files, bytes, records };
}

if (require.main === module) {
  const [out, n = '20', fixtures = path.resolve(__dirname, '../../../shared/fixtures/cotahist')] = process.argv.slice(2);
  if (!out) throw new Error('bench: usage build-input.ts OUT_DIR [sessions] [FIXTURES], got no OUT_DIR');
  console.log(JSON.stringify(buildInput(out, Number(n), fixtures)));
}
