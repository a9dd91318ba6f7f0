import { rmSync } from 'node:fs';
import { D1_VIEW, D1_VIEW_COLUMNS, D1_VIEW_SQL } from '../../lib/d1-session/portfolio-d1-view';
import { PRESTO_VIEW_PREFIX, PRESTO_VIEW_SUFFIX } from '../../stacks/constructs/athena-view';
import { resourcesOf, synthStack, testConfig } from './support';

const base = synthStack(testConfig());
afterAll(() => rmSync(base.outDir, { recursive: true, force: true }));

describe('the b3_portfolio_d1 view in the Glue catalog, as Athena stores a view', () => {
  const tables = resourcesOf(base.tfJson, 'aws_glue_catalog_table');
  const view = tables.find((t) => t.name === D1_VIEW)!;

  it('is one VIRTUAL_VIEW table in default, with the Presto view markers and parameters', () => {
    expect(tables.map((t) => t.name)).toEqual([D1_VIEW]);
    expect(view).toMatchObject({
      database_name: 'default',
      table_type: 'VIRTUAL_VIEW',
      parameters: { presto_view: 'true', comment: 'Presto View' },
      view_expanded_text: '/* Presto View */',
    });
    expect(view.view_original_text).toMatch(/^\/\* Presto View: [A-Za-z0-9+/]+=*\s\*\/$/);
  });

  it('decodes to the SQL the local catalog runs and to the columns with Presto types', () => {
    const text = view.view_original_text as string;
    const json = JSON.parse(Buffer.from(text.slice(PRESTO_VIEW_PREFIX.length, -PRESTO_VIEW_SUFFIX.length), 'base64').toString('utf8'));
    const presto = { date: 'date', string: 'varchar', bigint: 'bigint', int: 'integer', double: 'double' };
    expect(json).toEqual({
      originalSql: D1_VIEW_SQL,
      catalog: 'awsdatacatalog',
      schema: 'default',
      columns: D1_VIEW_COLUMNS.map((c) => ({ name: c.name, type: presto[c.hiveType] })),
    });
  });

  it('lists the same columns with Hive types in its storage descriptor', () => {
    const sd = view.storage_descriptor as { columns: { name: string; type: string }[] };
    expect(sd.columns.map((c) => [c.name, c.type])).toEqual(D1_VIEW_COLUMNS.map((c) => [c.name, c.hiveType]));
    expect(sd.columns.map((c) => c.type)).toContain('string');
  });
});
