import {
  BatchCreatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetTableCommand,
  type GlueClient,
  type StorageDescriptor,
} from '@aws-sdk/client-glue';
import { PipelineError } from '../../lib/errors';
import { REFINED_COLUMNS, REFINED_DATABASE, REFINED_TABLE } from '../../lib/refined/refined-contract';

export interface CatalogTableTarget {
  readonly database: string;
  readonly table: string;
  /** `s3://bucket/refined/`, with the trailing slash. */
  readonly location: string;
  readonly partitionKeys: readonly string[];
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

/** The refined contract's columns, split as the catalog wants them: data columns and partition keys. */
function contractColumns(target: CatalogTableTarget) {
  if (target.database !== REFINED_DATABASE || target.table !== REFINED_TABLE) {
    throw new PipelineError(`glue-catalog: only the columns of ${REFINED_DATABASE}.${REFINED_TABLE} are known here, got ${target.database}.${target.table}`);
  }
  const byName = new Map(REFINED_COLUMNS.map((c) => [c.name, c]));
  const missing = target.partitionKeys.filter((k) => !byName.has(k));
  if (missing.length > 0) throw new PipelineError(`glue-catalog: partition keys outside the refined contract, got ${missing.join(', ')}`);
  return {
    columns: REFINED_COLUMNS.filter((c) => !target.partitionKeys.includes(c.name)).map((c) => ({ Name: c.name, Type: c.type })),
    partitionKeys: target.partitionKeys.map((k) => ({ Name: k, Type: byName.get(k)!.type })),
  };
}

/**
 * Creates the database and the table when absent, as the sink's `enableUpdateCatalog` does on a
 * first run; an existing table is left as it is. Returns whether the table was created.
 */
export async function ensureCatalogTable(glue: GlueClient, target: CatalogTableTarget): Promise<boolean> {
  const { columns, partitionKeys } = contractColumns(target);
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
    await glue.send(new GetTableCommand({ DatabaseName: target.database, Name: target.table }));
    return false;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const table = new CreateTableCommand({
    DatabaseName: target.database,
    TableInput: {
      Name: target.table,
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'parquet', EXTERNAL: 'TRUE', 'parquet.compression': 'SNAPPY' },
      PartitionKeys: partitionKeys,
      StorageDescriptor: parquetStorage(target.location, columns),
    },
  });
  try {
    await glue.send(table);
  } catch (error) {
    if (isAlreadyThere(error)) return false;
    throw error;
  }
  return true;
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
  const { columns } = contractColumns(target);
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
