/**
 * One query as its own process, through the same path as `npm start -- query` (queryLocalCatalog).
 * Usage: node --import tsx bench/history/query-process.ts <lake> <sql>
 * Prints {rows, sha256, queryMs} of the answer, so the benchmark can check both tables answer the
 * same, and see the query's own time beside the whole process's (start-up included).
 */
import { createHash } from 'node:crypto';
import { queryLocalCatalog } from '../../cli/local-query';

async function main(): Promise<void> {
  const [lake, sql] = process.argv.slice(2);
  const started = performance.now();
  const result = await queryLocalCatalog(lake, sql);
  const queryMs = Math.round(performance.now() - started);
  const sha256 = createHash('sha256').update(JSON.stringify(result.rows)).digest('hex');
  process.stdout.write(`${JSON.stringify({ rows: result.rows.length, sha256, queryMs })}\n`);
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
