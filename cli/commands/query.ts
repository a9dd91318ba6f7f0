import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PipelineError, UsageError } from '../../lib/errors';
import type { Command } from '../command';
import { readLake } from '../lake-access';
import { formatQueryResult, queryLocalCatalog, QUERY_FORMATS, type QueryFormat } from '../local-query';

const HELP = `Usage: npm start -- query ("SQL" | --file FILE) [--format table|json|csv] [--lake DIR] [--verbose]

Runs one SQL statement over the local catalog (<lake>/catalog.duckdb), where the pipeline
registers the refined table b3_portfolio_refined, as Athena sees default.b3_portfolio_refined.
The named Athena queries run unchanged, e.g. --file athena/queries/top-weights-of-day.sql.

Options:
  --file FILE      read the SQL from a file instead of the argument
  --format FMT     table (default), json (an array of row objects; integers as numbers when
                   exact, dates as YYYY-MM-DD) or csv (with a header)
  --lake DIR       local data lake folder (default: ./lake)
  --verbose        stack traces on stderr
  -h, --help       show this help

Example:
  npm start -- query "SELECT count(*) AS n FROM b3_portfolio_refined" --format json
`;

export const queryCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    let values;
    let positionals;
    try {
      ({ values, positionals } = parseArgs({
        args: [...argv],
        options: { file: { type: 'string' }, format: { type: 'string' }, lake: { type: 'string' } },
        strict: true,
        allowPositionals: true,
      }));
    } catch (error) {
      throw new UsageError(`query: ${(error as Error).message}`, { cause: error });
    }
    if (positionals.length > 1) throw new UsageError(`query: give the SQL as one quoted argument, got ${positionals.length} arguments`);
    if ((values.file === undefined) === (positionals.length === 0)) {
      throw new UsageError(`query: give exactly one of "SQL" or --file FILE, got ${values.file === undefined ? 'neither' : 'both'}`);
    }
    const format = (values.format ?? 'table') as QueryFormat;
    if (!QUERY_FORMATS.includes(format)) throw new UsageError(`query: --format must be one of ${QUERY_FORMATS.join(', ')}, got ${JSON.stringify(values.format)}`);
    let sql: string;
    if (values.file !== undefined) {
      const file = path.resolve(ctx.cwd, values.file);
      try {
        sql = readFileSync(file, 'utf8');
      } catch (error) {
        throw new PipelineError(`query: cannot read the SQL file, got ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} for ${file}`, { cause: error });
      }
    } else {
      sql = positionals[0];
    }
    if (sql.trim() === '') throw new UsageError('query: the SQL is empty, got only whitespace');
    const lake = path.resolve(ctx.cwd, values.lake ?? 'lake');
    const result = await readLake(lake, ctx, () => queryLocalCatalog(lake, sql));
    ctx.stdout(formatQueryResult(result, format));
  },
};
