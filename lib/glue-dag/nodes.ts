import type {
  Aggregate,
  ApplyMapping,
  CodeGenConfigurationNode,
  CustomCode,
  DropFields,
  Filter,
  Join,
  RenameField,
  S3GlueParquetTarget,
  S3ParquetSource,
  SelectFields,
  SelectFromCollection,
  SparkSQL,
} from '@aws-sdk/client-glue';
import { GlueDagError } from './errors';

export type GlueNodes = Readonly<Record<string, CodeGenConfigurationNode>>;

/** The node types the local executor runs; any other CodeGenConfigurationNode is refused. */
export type SupportedNode =
  | { readonly type: 'S3ParquetSource'; readonly spec: S3ParquetSource }
  | { readonly type: 'ApplyMapping'; readonly spec: ApplyMapping }
  | { readonly type: 'RenameField'; readonly spec: RenameField }
  | { readonly type: 'Aggregate'; readonly spec: Aggregate }
  | { readonly type: 'Join'; readonly spec: Join }
  | { readonly type: 'Filter'; readonly spec: Filter }
  | { readonly type: 'DropFields'; readonly spec: DropFields }
  | { readonly type: 'SelectFields'; readonly spec: SelectFields }
  | { readonly type: 'SparkSQL'; readonly spec: SparkSQL }
  | { readonly type: 'CustomCode'; readonly spec: CustomCode }
  | { readonly type: 'SelectFromCollection'; readonly spec: SelectFromCollection }
  | { readonly type: 'S3GlueParquetTarget'; readonly spec: S3GlueParquetTarget };

/** Glue's NodeId pattern is `[A-Za-z0-9_-]*`; we also refuse the empty id. */
export const NODE_ID = /^[A-Za-z0-9_-]+$/;

/** The one member a CodeGenConfigurationNode sets, e.g. `ApplyMapping`. */
export function nodeType(id: string, node: CodeGenConfigurationNode): string {
  const keys = Object.entries(node).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (keys.length !== 1) throw new GlueDagError(`glue-dag: node ${id} must set exactly one node type, got ${keys.join(', ') || 'none'}`);
  return keys[0];
}

/** Narrows a node to the supported union; an unsupported type is an error naming it. */
export function supportedNode(id: string, node: CodeGenConfigurationNode): SupportedNode {
  const type = nodeType(id, node);
  switch (type) {
    case 'S3ParquetSource':
      return { type, spec: node.S3ParquetSource as S3ParquetSource };
    case 'ApplyMapping':
      return { type, spec: node.ApplyMapping as ApplyMapping };
    case 'RenameField':
      return { type, spec: node.RenameField as RenameField };
    case 'Aggregate':
      return { type, spec: node.Aggregate as Aggregate };
    case 'Join':
      return { type, spec: node.Join as Join };
    case 'Filter':
      return { type, spec: node.Filter as Filter };
    case 'DropFields':
      return { type, spec: node.DropFields as DropFields };
    case 'SelectFields':
      return { type, spec: node.SelectFields as SelectFields };
    case 'SparkSQL':
      return { type, spec: node.SparkSQL as SparkSQL };
    case 'CustomCode':
      return { type, spec: node.CustomCode as CustomCode };
    case 'SelectFromCollection':
      return { type, spec: node.SelectFromCollection as SelectFromCollection };
    case 'S3GlueParquetTarget':
      return { type, spec: node.S3GlueParquetTarget as S3GlueParquetTarget };
    default:
      throw new GlueDagError(`glue-dag: unsupported node type in node ${id}, got ${type}`);
  }
}

/** The ids a node reads from (a source reads none). */
export function nodeInputs(node: CodeGenConfigurationNode): readonly string[] {
  const spec = Object.values(node).find((v) => v !== undefined) as { Inputs?: string[] } | undefined;
  return spec?.Inputs ?? [];
}

/** Node ids in an order where every node follows its inputs (Kahn); a cycle is an error. */
export function topologicalOrder(nodes: GlueNodes): string[] {
  const ids = Object.keys(nodes).sort();
  const pending = new Map(ids.map((id) => [id, new Set(nodeInputs(nodes[id]).filter((i) => i in nodes))]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([id]) => id);
    if (ready.length === 0) throw new GlueDagError(`glue-dag: the DAG has a cycle, got ${[...pending.keys()].join(' <-> ')}`);
    for (const id of ready) {
      pending.delete(id);
      order.push(id);
      for (const deps of pending.values()) deps.delete(id);
    }
  }
  return order;
}

/** A single-column path (`["col"]`); nested paths are not part of our flat contract. */
export function flatPath(where: string, path: readonly string[] | undefined): string {
  if (!path || path.length !== 1) throw new GlueDagError(`glue-dag: ${where} must be a one-element path, got ${JSON.stringify(path)}`);
  return path[0];
}
