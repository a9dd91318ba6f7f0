import { rmSync } from 'node:fs';
import { Parser } from 'node-sql-parser';
import { D1_VIEW } from '../../lib/d1-session/portfolio-d1-view';
import { PRESTO_VIEW_PREFIX, PRESTO_VIEW_SUFFIX } from '../../stacks/constructs/athena-view';
import { resourcesOf, synthStack, testConfig } from './support';

/**
 * Athena (engine v3) runs Trino; locally the same SQL runs in DuckDB, so a DuckDB-only form would
 * pass every local test and fail only in Athena. No Trino runs here: this parses what the stack
 * deploys with node-sql-parser's Trino grammar, which accepts casts written `::` (Trino has none),
 * so those are refused by name.
 */
const trino = new Parser();
function trinoSyntaxError(sql: string): string | null {
  if (/::/.test(sql.replace(/'[^']*'/g, "''"))) return 'a :: cast (DuckDB and Postgres only; Trino writes CAST(x AS t))';
  try {
    trino.astify(sql, { database: 'trino' });
    return null;
  } catch (error) {
    return (error as Error).message.slice(0, 200);
  }
}

const base = synthStack(testConfig());
afterAll(() => rmSync(base.outDir, { recursive: true, force: true }));

describe('the SQL the stack deploys to Athena parses with a Trino grammar', () => {
  it('the b3_portfolio_d1 view, decoded from the Presto view text Athena reads', () => {
    const view = resourcesOf(base.tfJson, 'aws_glue_catalog_table').find((t) => t.name === D1_VIEW)!;
    const text = view.view_original_text as string;
    const { originalSql } = JSON.parse(Buffer.from(text.slice(PRESTO_VIEW_PREFIX.length, -PRESTO_VIEW_SUFFIX.length), 'base64').toString('utf8')) as { originalSql: string };
    expect(originalSql).toMatch(/^WITH lake_sessions AS/);
    expect(trinoSyntaxError(originalSql)).toBeNull();
    // The grammar reads it whole: a slip deep inside is caught.
    expect(trinoSyntaxError(originalSql.replace('LEFT JOIN previous_sessions', 'LEFT JION previous_sessions'))).not.toBeNull();
  });

  const queries = resourcesOf(base.tfJson, 'aws_athena_named_query').map((q) => [q.name as string, q.query as string] as const);

  it('deploys the named queries', () => {
    expect(queries.length).toBeGreaterThanOrEqual(8);
  });

  it.each(queries)('the named query %s', (_name, sql) => {
    expect(trinoSyntaxError(sql)).toBeNull();
  });

  it('the check fails on what DuckDB takes and Trino does not', () => {
    expect(trinoSyntaxError('SELECT ticker FROM t QUALIFY row_number() OVER (ORDER BY weight_pct) = 1')).not.toBeNull();
    expect(trinoSyntaxError('SELECT [1, 2] AS xs FROM t')).not.toBeNull();
    expect(trinoSyntaxError('SELECT weight_pct::DOUBLE FROM t')).toMatch(/:: cast/);
    expect(trinoSyntaxError("SELECT 'a::b' AS s, CAST(weight_pct AS DOUBLE) FROM t")).toBeNull();
  });
});
