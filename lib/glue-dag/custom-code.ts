import type { CustomCode } from '@aws-sdk/client-glue';
import { GlueDagError } from './errors';

/**
 * CustomCode nodes are PySpark the local executor cannot run; it supports the classes named
 * here, by ClassName, and reads their parameters from the code itself so the two stay one.
 *
 * `Code` is the function's body only: Glue Studio writes
 * `def <ClassName>(glueContext, dfc) -> DynamicFrameCollection:` itself, indents `Code` under
 * it, and calls it with a one-frame collection of the parent (see ../shared/fixtures/glue/).
 */
export const PURGE_CLASS_NAME = 'PurgeRefinedDays';
export const WHOLE_DAYS_CLASS_NAME = 'WholeRawDays';

export interface PurgePartitions {
  /** `s3://bucket/refined/<table>/`: the prefix under which `<column>=<value>/` is purged. */
  readonly s3Prefix: string;
  /** The partition column whose values in the batch are purged, e.g. `dt`. */
  readonly partitionColumn: string;
}

/** Spark SQL types of the schema a WholeRawDays body declares (`DecimalType(p, s)`: B3's exact prices). */
export type SparkFieldType =
  | 'StringType'
  | 'DateType'
  | 'LongType'
  | 'DoubleType'
  | 'TimestampType'
  | 'IntegerType'
  | { readonly decimal: { readonly precision: number; readonly scale: number } };
const SIMPLE_FIELD_TYPES = ['StringType', 'DateType', 'LongType', 'DoubleType', 'TimestampType', 'IntegerType'] as const;

/** The PySpark constructor call of a type, as a body writes it: `StringType()`, `DecimalType(13, 2)`. */
export function sparkTypeCall(type: SparkFieldType): string {
  return typeof type === 'string' ? `${type}()` : `DecimalType(${type.decimal.precision}, ${type.decimal.scale})`;
}

/** The class a type's constructor belongs to, for the body's import line. */
export function sparkTypeClass(type: SparkFieldType): string {
  return typeof type === 'string' ? type : 'DecimalType';
}

export interface SchemaField {
  readonly name: string;
  readonly type: SparkFieldType;
  readonly nullable: boolean;
}

export interface WholeDays {
  /** `s3://bucket/raw/<dataset>/`: the dataset whose complete days are read. */
  readonly s3Prefix: string;
  /** The path partition the days are stored under, e.g. `dt`. */
  readonly partitionColumn: string;
  /** The batch column holding each row's day, e.g. `portfolio_date`. */
  readonly dayColumn: string;
  /** The dataset's schema: what the node returns, also for an empty batch. */
  readonly schema: readonly SchemaField[];
}

/** The Python a Glue Studio wrapper puts around a body: what Glue really runs. */
export function glueStudioFunction(className: string, code: string): string {
  const body = code.replace(/\n+$/, '').split('\n').map((line) => (line.trim() === '' ? '' : `    ${line}`));
  return `def ${className}(glueContext, dfc) -> DynamicFrameCollection:\n${body.join('\n')}\n`;
}

/** Refuses code that is not a body in Glue Studio's form; returns it unchanged otherwise. */
function assertBodyForm(id: string, spec: CustomCode): string {
  const code = spec.Code ?? '';
  const lines = code.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (lines.length === 0) throw new GlueDagError(`glue-dag: CustomCode ${id} has no code, got ${JSON.stringify(code)}`);
  const ownDef = lines.find((l) => new RegExp(`^def\\s+${spec.ClassName}\\s*\\(`).test(l));
  if (ownDef) {
    throw new GlueDagError(
      `glue-dag: CustomCode ${id}: Code is the body of ${spec.ClassName} (Glue Studio writes the def itself, so this one would define an inner function and return None), got ${ownDef.trim()}`,
    );
  }
  if (/^\s/.test(lines[0])) throw new GlueDagError(`glue-dag: CustomCode ${id}: the body starts indented, got ${JSON.stringify(lines[0])}`);
  if (lines.some((l) => /^\t/.test(l))) throw new GlueDagError(`glue-dag: CustomCode ${id}: indent with spaces (Glue Studio indents the body with four), got a tab`);
  const last = lines[lines.length - 1];
  if (!/^return DynamicFrameCollection\(/.test(last)) {
    throw new GlueDagError(`glue-dag: CustomCode ${id}: the body must end in a top-level return DynamicFrameCollection(...), got ${last.trim()}`);
  }
  return code;
}

const PURGE_CALL = /glueContext\.purge_s3_path\(\s*f"([^"]*)"\s*,\s*(\{[^}]*\})\s*\)/g;
const PARTITION_PATH = /^(s3:\/\/[^/]+\/(?:[^{}]*\/)?)([A-Za-z_][A-Za-z0-9_]*)=\{[A-Za-z_][A-Za-z0-9_]*\}\/$/;

/** What a purge CustomCode deletes before the sinks write (one prefix per call); refuses code it cannot read. */
export function parsePurgeCode(id: string, spec: CustomCode): PurgePartitions[] {
  const code = assertBodyForm(id, spec);
  const calls = [...code.matchAll(PURGE_CALL)];
  if (calls.length === 0) throw new GlueDagError(`glue-dag: CustomCode ${id} has no glueContext.purge_s3_path(f"...", {...}) call, got ${code.slice(0, 60)}`);
  return calls.map((call) => {
    // A retention period keeps recent files: a rerun would then duplicate, so only 0 is faithful here.
    if (!/"retentionPeriod"\s*:\s*0\s*[,}]/.test(call[2])) {
      throw new GlueDagError(`glue-dag: CustomCode ${id} must purge with {"retentionPeriod": 0}, got ${call[2]}`);
    }
    const path = PARTITION_PATH.exec(call[1]);
    if (!path) throw new GlueDagError(`glue-dag: CustomCode ${id} purge path must read s3://bucket/prefix/<column>={value}/, got ${call[1]}`);
    return { s3Prefix: path[1], partitionColumn: path[2] };
  });
}

const READ_DAYS = /\.parquet\(\*\[f"([^"]*)" for [A-Za-z_]+ in [A-Za-z_]+\]\)/;
const DAY_COLUMN = /\.select\("([A-Za-z_][A-Za-z0-9_]*)"\)\.distinct\(\)/;
const FIELD = /StructField\("([A-Za-z_][A-Za-z0-9_]*)",\s*([A-Za-z]+)\(([^)]*)\),\s*(True|False)\)/g;

/** A schema field's type from its constructor call; Spark's DecimalType needs 1 <= precision <= 38 and scale <= precision. */
function parseFieldType(id: string, column: string, name: string, args: string): SparkFieldType {
  const simple = SIMPLE_FIELD_TYPES.find((t) => t === name);
  if (simple && args.trim() === '') return simple;
  const decimal = name === 'DecimalType' ? /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(args) : null;
  if (decimal) {
    const [precision, scale] = [Number(decimal[1]), Number(decimal[2])];
    if (precision >= 1 && precision <= 38 && scale <= precision) return { decimal: { precision, scale } };
  }
  throw new GlueDagError(`glue-dag: CustomCode ${id}: unsupported schema type of ${column}, got ${name}(${args})`);
}

/** What a WholeRawDays CustomCode reads: the complete days its batch touches, in its schema. */
export function parseWholeDaysCode(id: string, spec: CustomCode): WholeDays {
  const code = assertBodyForm(id, spec);
  const read = READ_DAYS.exec(code);
  const path = read ? PARTITION_PATH.exec(read[1]) : null;
  if (!path) throw new GlueDagError(`glue-dag: CustomCode ${id} must read .parquet(*[f"s3://bucket/prefix/<column>={day}/" for day in days]), got ${read?.[1] ?? code.slice(0, 60)}`);
  const day = DAY_COLUMN.exec(code);
  if (!day) throw new GlueDagError(`glue-dag: CustomCode ${id} must take its days from batch.select("<column>").distinct(), got none`);
  const schema = [...code.matchAll(FIELD)].map((m): SchemaField => ({ name: m[1], type: parseFieldType(id, m[1], m[2], m[3]), nullable: m[4] === 'True' }));
  if (schema.length === 0) throw new GlueDagError(`glue-dag: CustomCode ${id} declares no StructField schema, got none`);
  if (!schema.some((f) => f.name === day[1])) throw new GlueDagError(`glue-dag: CustomCode ${id}: its day column is not in its schema, got ${day[1]}`);
  return { s3Prefix: path[1], partitionColumn: path[2], dayColumn: day[1], schema };
}

/** The local meaning of a CustomCode node, by its ClassName. */
export type CustomCodeBehaviour =
  | { readonly kind: 'purge-partitions'; readonly purges: readonly PurgePartitions[] }
  | { readonly kind: 'whole-days'; readonly wholeDays: WholeDays };

export function customCodeBehaviour(id: string, spec: CustomCode): CustomCodeBehaviour {
  switch (spec.ClassName) {
    case PURGE_CLASS_NAME:
      return { kind: 'purge-partitions', purges: parsePurgeCode(id, spec) };
    case WHOLE_DAYS_CLASS_NAME:
      return { kind: 'whole-days', wholeDays: parseWholeDaysCode(id, spec) };
    default:
      throw new GlueDagError(`glue-dag: unsupported CustomCode class in node ${id}, got ${spec.ClassName}`);
  }
}
