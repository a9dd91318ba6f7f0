import { GlueDagError } from './errors';
import { NODE_ID, nodeInputs, nodeType, topologicalOrder, type GlueNodes } from './nodes';
import { SPARK_FUNCTIONS, translateSparkSql } from './spark-sql';

const SOURCES = new Set(['S3ParquetSource']);
const SINKS = new Set(['S3GlueParquetTarget']);

/** A rename is a column that leaves a mapping under another name. */
function renames(nodes: GlueNodes): Array<{ node: string; from: string; to: string }> {
  const out: Array<{ node: string; from: string; to: string }> = [];
  for (const [id, node] of Object.entries(nodes)) {
    for (const m of node.ApplyMapping?.Mapping ?? []) {
      const from = m.FromPath?.join('.');
      if (!m.Dropped && from && m.ToKey && m.ToKey !== from) out.push({ node: id, from, to: m.ToKey });
    }
    const r = node.RenameField;
    if (r?.SourcePath && r.TargetPath && r.SourcePath.join('.') !== r.TargetPath.join('.')) {
      out.push({ node: id, from: r.SourcePath.join('.'), to: r.TargetPath.join('.') });
    }
  }
  return out;
}

/**
 * Structural problems of a DAG, empty when sound: ids, one type per node, inputs that exist,
 * no cycle, a source and a sink, and the three transforms the product requires — an
 * Aggregate with sum or count, two renames besides the grouping columns, a date calculation.
 */
export function glueDagProblems(nodes: GlueNodes, opts: { readonly mandatoryTransforms?: boolean } = {}): string[] {
  const problems: string[] = [];
  const types = new Map<string, string>();
  for (const [id, node] of Object.entries(nodes)) {
    if (!NODE_ID.test(id)) problems.push(`node id must match [A-Za-z0-9_-]+, got ${JSON.stringify(id)}`);
    try {
      types.set(id, nodeType(id, node));
    } catch (e) {
      problems.push((e as Error).message.replace(/^glue-dag: /, ''));
      continue;
    }
    const type = types.get(id) as string;
    const inputs = nodeInputs(node);
    for (const input of inputs) if (!(input in nodes)) problems.push(`node ${id} reads input ${input}, which does not exist`);
    if (SOURCES.has(type) !== (inputs.length === 0)) problems.push(`node ${id} (${type}) ${SOURCES.has(type) ? 'is a source and takes no inputs' : 'needs an input'}, got ${inputs.length}`);
  }
  try {
    topologicalOrder(nodes);
  } catch (e) {
    problems.push((e as Error).message.replace(/^glue-dag: /, ''));
  }
  const ofType = (t: string) => [...types].filter(([, type]) => type === t).map(([id]) => id);
  if (![...types.values()].some((t) => SOURCES.has(t))) problems.push('the DAG has no source node');
  if (![...types.values()].some((t) => SINKS.has(t))) problems.push('the DAG has no target node');
  for (const id of ofType('SelectFromCollection')) {
    const parent = nodeInputs(nodes[id])[0];
    if (parent && types.get(parent) !== 'CustomCode') problems.push(`SelectFromCollection ${id} must follow a node that returns a collection, got ${types.get(parent)}`);
  }
  for (const id of ofType('CustomCode')) {
    const children = [...types.keys()].filter((c) => nodeInputs(nodes[c]).includes(id));
    if (children.some((c) => types.get(c) !== 'SelectFromCollection')) problems.push(`CustomCode ${id} must be followed by SelectFromCollection, got ${children.map((c) => types.get(c)).join(', ')}`);
  }
  if (opts.mandatoryTransforms === false) return problems;

  const aggregates = ofType('Aggregate').flatMap((id) => nodes[id].Aggregate ?? []);
  if (!aggregates.some((a) => (a.Aggs ?? []).some((g) => g.AggFunc === 'sum' || g.AggFunc === 'count'))) {
    problems.push('mandatory transform missing: an Aggregate with sum or count');
  }
  const groupColumns = new Set(aggregates.flatMap((a) => (a.Groups ?? []).map((g) => g.join('.'))));
  const plainRenames = renames(nodes).filter((r) => !groupColumns.has(r.to) && !groupColumns.has(r.from));
  if (plainRenames.length < 2) {
    problems.push(`mandatory transform missing: two renames besides the grouping columns, got ${plainRenames.map((r) => `${r.from} -> ${r.to}`).join(', ') || 'none'}`);
  }
  const dateSql = ofType('SparkSQL').filter((id) => {
    try {
      const used = translateSparkSql(nodes[id].SparkSQL?.SqlQuery ?? '').functions;
      return [...used].some((f) => SPARK_FUNCTIONS[f]?.category === 'date');
    } catch (e) {
      problems.push(`SparkSQL ${id}: ${(e as Error).message}`);
      return false;
    }
  });
  if (dateSql.length === 0) problems.push('mandatory transform missing: a SparkSQL date calculation (datediff, date_add, make_date, ...)');
  return problems;
}

/**
 * Throws one GlueDagError listing every structural problem. `mandatoryTransforms: false`
 * checks only what any runnable DAG needs (the local executor runs any DAG).
 */
export function assertValidGlueDag(nodes: GlueNodes, opts: { readonly mandatoryTransforms?: boolean } = {}): void {
  const problems = glueDagProblems(nodes, opts);
  if (problems.length) throw new GlueDagError(`glue-dag: invalid DAG, got ${problems.length} problem(s): ${problems.join('; ')}`);
}
