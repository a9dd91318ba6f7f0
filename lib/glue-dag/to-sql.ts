import type { AggFunction, FilterExpression, FilterValue, JoinType, ParquetCompressionType } from '@aws-sdk/client-glue';
import { customCodeBehaviour, type PurgePartitions, type WholeDays } from './custom-code';
import { GlueDagError } from './errors';
import { flatPath, nodeInputs, supportedNode, type GlueNodes } from './nodes';
import { sparkSum } from './spark-functions';
import { translateSparkSql } from './spark-sql';
import { sparkType } from './spark-sql-lexer';

/**
 * DAG -> SQL: each supported node becomes one DuckDB step over views named by node id.
 * Pure: the executor supplies the source files and the columns of views already created.
 */
export type NodeStep =
  /** `CREATE TEMP VIEW "<nodeId>" AS <sql>`. */
  | { readonly kind: 'view'; readonly nodeId: string; readonly sql: string }
  /** Materialize the input as a table named nodeId, then purge the partitions it holds. */
  | { readonly kind: 'purge'; readonly nodeId: string; readonly input: string; readonly purges: readonly PurgePartitions[] }
  /** A table named nodeId holding every row of the days the input touches (empty and typed when it touches none). */
  | { readonly kind: 'whole-days'; readonly nodeId: string; readonly input: string; readonly wholeDays: WholeDays }
  /** Write the input as Hive-partitioned Parquet under s3Path. */
  | {
      readonly kind: 'sink';
      readonly nodeId: string;
      readonly input: string;
      readonly s3Path: string;
      readonly partitionKeys: readonly string[];
      readonly compression: string;
      readonly catalog: { readonly database: string; readonly table: string } | null;
    };

export interface TranslateEnv {
  /** Local Parquet files (or globs) a source node reads in this batch. */
  sourceFiles(nodeId: string, s3Paths: readonly string[], recurse: boolean): readonly string[];
  /** Output columns of an already created node, in order. */
  columnsOf(nodeId: string): readonly string[];
}

export const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** The Glue type names ApplyMapping accepts; a bare `decimal` stays refused (Spark reads it as (10,0)): write decimal(p,s). */
const GLUE_TYPE = /^(string|long|bigint|int|integer|short|smallint|byte|tinyint|double|float|boolean|date|timestamp|decimal\(\d+,\s*\d+\))$/i;

/** Glue type names of ApplyMapping -> DuckDB types, through the same table as Spark SQL's CAST. */
function duckType(node: string, glueType: string | undefined): string {
  if (!GLUE_TYPE.test(glueType ?? '')) throw new GlueDagError(`glue-dag: unsupported ApplyMapping type in node ${node}, got ${glueType}`);
  return sparkType(glueType ?? '').duck;
}

/** Spark's column name for an aggregate (what `groupBy().agg(F.<fn>(col))` produces). */
function aggregate(node: string, fn: AggFunction | undefined, col: string): { expr: string; name: string } {
  switch (fn) {
    // Spark's sum of integers is BIGINT, DuckDB's HUGEINT: the same wrapper as SQL text's sum().
    case 'sum':
      return { expr: sparkSum(q(col), `sum(${q(col)})`), name: `sum(${col})` };
    case 'count': case 'avg': case 'min': case 'max': case 'first': case 'last':
    case 'stddev_pop': case 'stddev_samp': case 'var_pop': case 'var_samp':
      return { expr: `${fn}(${q(col)})`, name: `${fn}(${col})` };
    case 'countDistinct':
      return { expr: `count(DISTINCT ${q(col)})`, name: `count(DISTINCT ${col})` };
    case 'sumDistinct':
      return { expr: sparkSum(q(col), `sum(DISTINCT ${q(col)})`), name: `sum(DISTINCT ${col})` };
    case 'kurtosis': case 'skewness':
      // Spark's are population moments; DuckDB's are sample-corrected: refuse rather than differ.
      throw new GlueDagError(`glue-dag: Aggregate ${node}: no faithful DuckDB twin for AggFunc, got ${fn}`);
    default:
      throw new GlueDagError(`glue-dag: Aggregate ${node}: unknown AggFunc, got ${String(fn)}`);
  }
}

const JOIN_SQL: Readonly<Record<JoinType, string>> = {
  equijoin: 'INNER JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', outer: 'FULL OUTER JOIN', leftsemi: 'SEMI JOIN', leftanti: 'ANTI JOIN',
};

const COMPRESSION: Readonly<Record<ParquetCompressionType, string | null>> = {
  snappy: 'snappy', gzip: 'gzip', brotli: 'brotli', lz4: 'lz4_raw', uncompressed: 'uncompressed', none: 'uncompressed', lzo: null,
};

function filterOperand(node: string, v: FilterValue | undefined): string {
  const value = v?.Value?.[0];
  if (value === undefined) throw new GlueDagError(`glue-dag: Filter ${node} operand has no Value, got ${JSON.stringify(v)}`);
  return v?.Type === 'COLUMNEXTRACTED' ? q(value) : lit(value);
}

function filterExpression(node: string, f: FilterExpression): string {
  const [a, b] = [filterOperand(node, f.Values?.[0]), f.Operation === 'ISNULL' ? '' : filterOperand(node, f.Values?.[1])];
  let expr: string;
  switch (f.Operation) {
    case 'EQ': expr = `${a} = ${b}`; break;
    case 'LT': expr = `${a} < ${b}`; break;
    case 'GT': expr = `${a} > ${b}`; break;
    case 'LTE': expr = `${a} <= ${b}`; break;
    case 'GTE': expr = `${a} >= ${b}`; break;
    // Glue's generated filter uses Python re.match: anchored at the start only.
    case 'REGEX': expr = `regexp_matches(${a}, '^(?:' || ${b} || ')')`; break;
    case 'ISNULL': expr = `${a} IS NULL`; break;
    default: throw new GlueDagError(`glue-dag: Filter ${node}: unknown Operation, got ${String(f.Operation)}`);
  }
  return f.Negated ? `NOT (${expr})` : `(${expr})`;
}

function known(node: string, columns: readonly string[], col: string): string {
  if (!columns.includes(col)) throw new GlueDagError(`glue-dag: node ${node} names a column its input lacks, got ${col} (has ${columns.join(', ')})`);
  return col;
}

/** The SQL step of one node; an unsupported node type, option or function is an error naming it. */
export function translateNode(id: string, nodes: GlueNodes, env: TranslateEnv): NodeStep {
  const node = supportedNode(id, nodes[id]);
  const view = (sql: string): NodeStep => ({ kind: 'view', nodeId: id, sql });
  const input = (): string => {
    const inputs = nodeInputs(nodes[id]);
    if (inputs.length !== 1) throw new GlueDagError(`glue-dag: ${node.type} ${id} takes one input, got ${inputs.length}`);
    return inputs[0];
  };
  switch (node.type) {
    case 'S3ParquetSource': {
      if (node.spec.Exclusions?.length) throw new GlueDagError(`glue-dag: S3ParquetSource ${id}: Exclusions are not supported, got ${node.spec.Exclusions.join(', ')}`);
      const files = env.sourceFiles(id, node.spec.Paths ?? [], node.spec.Recurse ?? false);
      // hive_partitioning off: Glue's S3 source reads the file columns only, not dt= from the path.
      return view(`SELECT * FROM read_parquet([${files.map(lit).join(', ')}], hive_partitioning = false, union_by_name = true)`);
    }
    case 'ApplyMapping': {
      const from = input();
      const cols = env.columnsOf(from);
      const select = (node.spec.Mapping ?? []).filter((m) => !m.Dropped).map((m) => {
        if (m.Children?.length) throw new GlueDagError(`glue-dag: ApplyMapping ${id}: nested Children are not supported, got ${m.ToKey}`);
        const src = known(id, cols, flatPath(`ApplyMapping ${id} FromPath`, m.FromPath));
        return `CAST(${q(src)} AS ${duckType(id, m.ToType)}) AS ${q(m.ToKey ?? src)}`;
      });
      if (select.length === 0) throw new GlueDagError(`glue-dag: ApplyMapping ${id} keeps no column, got ${node.spec.Mapping?.length ?? 0} mappings`);
      return view(`SELECT ${select.join(', ')} FROM ${q(from)}`);
    }
    case 'RenameField': {
      const from = input();
      const src = known(id, env.columnsOf(from), flatPath(`RenameField ${id} SourcePath`, node.spec.SourcePath));
      const dst = flatPath(`RenameField ${id} TargetPath`, node.spec.TargetPath);
      return view(`SELECT ${env.columnsOf(from).map((c) => (c === src ? `${q(c)} AS ${q(dst)}` : q(c))).join(', ')} FROM ${q(from)}`);
    }
    case 'Aggregate': {
      const from = input();
      const cols = env.columnsOf(from);
      const groups = (node.spec.Groups ?? []).map((g) => q(known(id, cols, flatPath(`Aggregate ${id} group`, g))));
      const aggs = (node.spec.Aggs ?? []).map((a) => aggregate(id, a.AggFunc, known(id, cols, flatPath(`Aggregate ${id} column`, a.Column))));
      const select = [...groups, ...aggs.map((a) => `${a.expr} AS ${q(a.name)}`)].join(', ');
      return view(`SELECT ${select} FROM ${q(from)}${groups.length ? ` GROUP BY ${groups.join(', ')}` : ''}`);
    }
    case 'Join': {
      const [left, right] = node.spec.Inputs ?? [];
      const keysOf = (from: string) => {
        const c = node.spec.Columns?.find((col) => col.From === from);
        if (!c) throw new GlueDagError(`glue-dag: Join ${id} has no Columns entry for input ${from}`);
        return (c.Keys ?? []).map((k) => known(id, env.columnsOf(from), flatPath(`Join ${id} key`, k)));
      };
      const [lk, rk] = [keysOf(left), keysOf(right)];
      if (lk.length === 0 || lk.length !== rk.length) throw new GlueDagError(`glue-dag: Join ${id} needs as many keys on each side, got ${lk.length} and ${rk.length}`);
      const type = node.spec.JoinType as JoinType;
      const joinSql = JOIN_SQL[type];
      if (!joinSql) throw new GlueDagError(`glue-dag: Join ${id}: unknown JoinType, got ${String(type)}`);
      const leftOnly = type === 'leftsemi' || type === 'leftanti';
      const clash = leftOnly ? [] : env.columnsOf(left).filter((c) => env.columnsOf(right).includes(c));
      if (clash.length) throw new GlueDagError(`glue-dag: Join ${id} outputs a column twice (rename one side first, as Glue Studio asks), got ${clash.join(', ')}`);
      const on = lk.map((k, i) => `l.${q(k)} = r.${q(rk[i])}`).join(' AND ');
      return view(`SELECT l.*${leftOnly ? '' : ', r.*'} FROM ${q(left)} AS l ${joinSql} ${q(right)} AS r ON ${on}`);
    }
    case 'Filter': {
      const from = input();
      const glue = node.spec.LogicalOperator === 'OR' ? ' OR ' : ' AND ';
      const exprs = (node.spec.Filters ?? []).map((f) => filterExpression(id, f));
      if (exprs.length === 0) throw new GlueDagError(`glue-dag: Filter ${id} has no Filters, got 0`);
      return view(`SELECT * FROM ${q(from)} WHERE ${exprs.join(glue)}`);
    }
    case 'DropFields': {
      const from = input();
      const cols = env.columnsOf(from);
      const dropped = (node.spec.Paths ?? []).map((p) => known(id, cols, flatPath(`DropFields ${id} path`, p)));
      return view(`SELECT ${cols.filter((c) => !dropped.includes(c)).map(q).join(', ')} FROM ${q(from)}`);
    }
    case 'SelectFields': {
      const from = input();
      const cols = env.columnsOf(from);
      const kept = (node.spec.Paths ?? []).map((p) => q(known(id, cols, flatPath(`SelectFields ${id} path`, p))));
      return view(`SELECT ${kept.join(', ')} FROM ${q(from)}`);
    }
    case 'SparkSQL': {
      const inputs = node.spec.Inputs ?? [];
      const ctes = (node.spec.SqlAliases ?? []).map((a) => {
        if (!a.From || !inputs.includes(a.From)) throw new GlueDagError(`glue-dag: SparkSQL ${id} alias ${a.Alias} is not one of its inputs, got ${a.From}`);
        return `${q(a.Alias ?? a.From)} AS (SELECT * FROM ${q(a.From)})`;
      });
      let translated: string;
      try {
        translated = translateSparkSql(node.spec.SqlQuery ?? '').sql;
      } catch (e) {
        throw new GlueDagError(`glue-dag: SparkSQL ${id}: ${(e as Error).message}`, { cause: e });
      }
      return view(`${ctes.length ? `WITH ${ctes.join(', ')} ` : ''}SELECT * FROM (${translated}) AS spark_sql`);
    }
    case 'CustomCode': {
      const behaviour = customCodeBehaviour(id, node.spec);
      switch (behaviour.kind) {
        case 'purge-partitions':
          return { kind: 'purge', nodeId: id, input: input(), purges: behaviour.purges };
        case 'whole-days':
          return { kind: 'whole-days', nodeId: id, input: input(), wholeDays: behaviour.wholeDays };
      }
      break;
    }
    case 'SelectFromCollection': {
      // Our CustomCode classes return a one-frame collection: only index 0 exists.
      if (node.spec.Index !== 0) throw new GlueDagError(`glue-dag: SelectFromCollection ${id}: the collection holds one frame, got Index ${node.spec.Index}`);
      return view(`SELECT * FROM ${q(input())}`);
    }
    case 'S3GlueParquetTarget': {
      const from = input();
      const cols = env.columnsOf(from);
      const compression = COMPRESSION[(node.spec.Compression ?? 'snappy') as ParquetCompressionType];
      if (!compression) throw new GlueDagError(`glue-dag: S3GlueParquetTarget ${id}: DuckDB cannot write compression, got ${node.spec.Compression}`);
      const policy = node.spec.SchemaChangePolicy;
      // Spark writes at most this many files per partition; DuckDB's partitioned COPY writes one.
      const targets = node.spec.NumberTargetPartitions;
      if (targets !== undefined && !/^[1-9][0-9]*$/.test(targets)) throw new GlueDagError(`glue-dag: S3GlueParquetTarget ${id}: NumberTargetPartitions must be a positive integer, got ${targets}`);
      return {
        kind: 'sink',
        nodeId: id,
        input: from,
        s3Path: node.spec.Path ?? '',
        partitionKeys: (node.spec.PartitionKeys ?? []).map((k) => known(id, cols, flatPath(`S3GlueParquetTarget ${id} partition key`, k))),
        compression,
        catalog: policy?.EnableUpdateCatalog && policy.Table ? { database: policy.Database ?? 'default', table: policy.Table } : null,
      };
    }
    default: {
      const unreachable: never = node;
      throw new GlueDagError(`glue-dag: unsupported node ${id}, got ${JSON.stringify(unreachable)}`);
    }
  }
}
