import { Construct } from 'constructs';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import type { ViewColumn } from '../../lib/d1-session/portfolio-d1-view';

/** Glue (Hive) type → the Presto type name the view JSON carries. */
const PRESTO_TYPES: Record<ViewColumn['hiveType'], string> = { date: 'date', string: 'varchar', bigint: 'bigint', int: 'integer', double: 'double' };

/** Athena's own marker texts around a view stored in the Glue catalog (Trino's HiveViewReader reads them). */
export const PRESTO_VIEW_PREFIX = '/* Presto View: ';
export const PRESTO_VIEW_SUFFIX = ' */';
export const PRESTO_VIEW_EXPANDED_TEXT = '/* Presto View */';

export interface AthenaViewProps {
  readonly database: string;
  readonly name: string;
  readonly description: string;
  readonly sql: string;
  readonly columns: readonly ViewColumn[];
}

/** The view definition Athena stores: its SQL and its output columns with Presto types. */
export function prestoViewDefinition(props: Pick<AthenaViewProps, 'database' | 'sql' | 'columns'>): object {
  return {
    originalSql: props.sql,
    catalog: 'awsdatacatalog',
    schema: props.database,
    columns: props.columns.map((c) => ({ name: c.name, type: PRESTO_TYPES[c.hiveType] })),
  };
}

/** `/* Presto View: <base64 of the JSON> *\/`, what Athena writes as the table's ViewOriginalText. */
export function prestoViewOriginalText(props: Pick<AthenaViewProps, 'database' | 'sql' | 'columns'>): string {
  return `${PRESTO_VIEW_PREFIX}${Buffer.from(JSON.stringify(prestoViewDefinition(props)), 'utf8').toString('base64')}${PRESTO_VIEW_SUFFIX}`;
}

/**
 * An Athena view deployed as data: a VIRTUAL_VIEW table in the Glue catalog holding the Presto
 * view text, as `CREATE VIEW` in Athena writes it, so it exists as soon as the stack does
 * (no query to run after deploy) and a change of the SQL is a reviewed plan like any other.
 */
export class AthenaView extends Construct {
  readonly table: GlueCatalogTable;

  constructor(scope: Construct, id: string, props: AthenaViewProps) {
    super(scope, id);
    this.table = new GlueCatalogTable(this, 'table', {
      databaseName: props.database,
      name: props.name,
      description: props.description,
      tableType: 'VIRTUAL_VIEW',
      parameters: { presto_view: 'true', comment: 'Presto View' },
      viewOriginalText: prestoViewOriginalText(props),
      viewExpandedText: PRESTO_VIEW_EXPANDED_TEXT,
      storageDescriptor: { columns: props.columns.map((c) => ({ name: c.name, type: c.hiveType, comment: c.comment })) },
    });
  }
}
