import {
  BatchCreatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetTableCommand,
  UpdateTableCommand,
  type Column,
  type GlueClient,
  type StorageDescriptor,
  type TableInput,
} from '@aws-sdk/client-glue';
import { PipelineError } from '../../lib/errors';

export interface CatalogTableTarget {
  readonly database: string;
  readonly table: string;
  /** `s3://bucket/refined/<table>/`, with the trailing slash. */
  readonly location: string;
  readonly partitionKeys: readonly string[];
  /** What the job's DAG produced for the sink, partition keys included, with DuckDB types. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
}

const isNotFound = (error: unknown): boolean => (error as { name?: string }).name === 'EntityNotFoundException';
// Another run may create it between our Get and Create: that is the outcome we wanted.
const isAlreadyThere = (error: unknown): boolean => (error as { name?: string }).name === 'AlreadyExistsException';

/** Parquet through Hive's SerDe: what Glue's glueparquet sink registers and Athena reads. */
function parquetStorage(location: string, columns: StorageDescriptor['Columns']): StorageDescriptor {
  return {
    Columns: columns,
    Location: location,
    InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
    Compressed: true,
  };
}

const GLUE_TYPE_OF_DUCK: Readonly<Record<string, string>> = {
  VARCHAR: 'string', BIGINT: 'bigint', INTEGER: 'int', SMALLINT: 'smallint', TINYINT: 'tinyint', DOUBLE: 'double', FLOAT: 'float',
  BOOLEAN: 'boolean', DATE: 'date', 'TIMESTAMP WITH TIME ZONE': 'timestamp', TIMESTAMP: 'timestamp',
};

/**
 * The catalog (Hive) type Spark's sink registers for a column the local executor typed in
 * DuckDB. A type with no Spark twin (HUGEINT, say) means the local run differs from Glue: refuse it.
 */
export function glueColumnType(column: string, duckType: string): string {
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(duckType);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  const type = GLUE_TYPE_OF_DUCK[duckType];
  if (!type) throw new PipelineError(`glue-catalog: no Glue type for column ${column} of DuckDB type, got ${duckType}`);
  return type;
}

/** The produced columns, split as the catalog wants them: data columns and partition keys. */
function catalogColumns(target: CatalogTableTarget): { columns: Column[]; partitionKeys: Column[] } {
  const byName = new Map(target.columns.map((c) => [c.name, c]));
  const missing = target.partitionKeys.filter((k) => !byName.has(k));
  if (missing.length > 0) throw new PipelineError(`glue-catalog: partition keys the DAG did not produce, got ${missing.join(', ')}`);
  const asColumn = (c: { name: string; type: string }): Column => ({ Name: c.name, Type: glueColumnType(c.name, c.type) });
  return {
    columns: target.columns.filter((c) => !target.partitionKeys.includes(c.name)).map(asColumn),
    partitionKeys: target.partitionKeys.map((k) => asColumn(byName.get(k)!)),
  };
}

function tableInput(target: CatalogTableTarget): TableInput {
  const { columns, partitionKeys } = catalogColumns(target);
  return {
    Name: target.table,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': 'SNAPPY' },
    PartitionKeys: partitionKeys,
    StorageDescriptor: parquetStorage(target.location, columns),
  };
}

const sameColumns = (a: readonly Column[] | undefined, b: readonly Column[]): boolean =>
  JSON.stringify((a ?? []).map((c) => [c.Name, c.Type])) === JSON.stringify(b.map((c) => [c.Name, c.Type]));

/**
 * Creates the database and the table when absent, as the sink's `enableUpdateCatalog` does on a
 * first run, and with `UPDATE_IN_DATABASE` updates an existing table whose columns differ from
 * what the DAG produced. Returns what it did.
 */
export async function ensureCatalogTable(glue: GlueClient, target: CatalogTableTarget): Promise<'created' | 'updated' | 'unchanged'> {
  const input = tableInput(target);
  try {
    await glue.send(new GetDatabaseCommand({ Name: target.database }));
  } catch (error) {
    // AWS accounts have `default`; a fresh emulator does not.
    if (!isNotFound(error)) throw error;
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: target.database } })).catch((e: unknown) => {
      if (!isAlreadyThere(e)) throw e;
    });
  }
  try {
    const current = (await glue.send(new GetTableCommand({ DatabaseName: target.database, Name: target.table }))).Table;
    if (sameColumns(current?.StorageDescriptor?.Columns, input.StorageDescriptor!.Columns!) && sameColumns(current?.PartitionKeys, input.PartitionKeys!)) return 'unchanged';
    await glue.send(new UpdateTableCommand({ DatabaseName: target.database, TableInput: input }));
    return 'updated';
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await glue.send(new CreateTableCommand({ DatabaseName: target.database, TableInput: input }));
  } catch (error) {
    if (isAlreadyThere(error)) return 'unchanged';
    throw error;
  }
  return 'created';
}

/** BatchCreatePartition takes at most 100 partitions per call. */
const PARTITION_BATCH = 100;

/**
 * Registers partitions (values in partition-key order). Ones that already exist are counted,
 * not failed: a rerun of a day writes the same partitions again. Any other refusal throws.
 */
export async function addCatalogPartitions(
  glue: GlueClient,
  target: CatalogTableTarget,
  partitions: readonly (readonly string[])[],
): Promise<{ created: number; existing: number }> {
  const { columns } = catalogColumns(target);
  let created = 0;
  let existing = 0;
  for (let i = 0; i < partitions.length; i += PARTITION_BATCH) {
    const batch = partitions.slice(i, i + PARTITION_BATCH);
    const out = await glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: target.database,
        TableName: target.table,
        PartitionInputList: batch.map((values) => ({
          Values: [...values],
          StorageDescriptor: parquetStorage(`${target.location}${target.partitionKeys.map((k, j) => `${k}=${values[j]}`).join('/')}/`, columns),
        })),
      }),
    );
    const errors = out.Errors ?? [];
    const refused = errors.filter((e) => e.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
    if (refused.length > 0) {
      throw new PipelineError(
        `glue-catalog: BatchCreatePartition refused ${refused.length} partition(s) of ${target.database}.${target.table}, got ${refused
          .map((e) => `${(e.PartitionValues ?? []).join('/')}: ${e.ErrorDetail?.ErrorCode} ${e.ErrorDetail?.ErrorMessage ?? ''}`.trim())
          .join('; ')}`,
      );
    }
    existing += errors.length;
    created += batch.length - errors.length;
  }
  return { created, existing };
}
