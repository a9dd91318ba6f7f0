import type { CustomCode } from '@aws-sdk/client-glue';
import { GlueDagError } from './errors';

/**
 * CustomCode nodes are PySpark the local executor cannot run; it supports the classes named
 * here, by ClassName, and reads their parameters from the code itself so the two stay one.
 */
export const PURGE_CLASS_NAME = 'PurgeRefinedDays';

export interface PurgePartitions {
  /** `s3://bucket/refined/`: the prefix under which `<column>=<value>/` is purged. */
  readonly s3Prefix: string;
  /** The partition column whose values in the batch are purged, e.g. `dt`. */
  readonly partitionColumn: string;
}

const PURGE_CALL = /glueContext\.purge_s3_path\(\s*f"([^"]*)"\s*,\s*(\{[^}]*\})\s*\)/;
const PURGE_PATH = /^(s3:\/\/[^/]+\/(?:[^{}]*\/)?)([A-Za-z_][A-Za-z0-9_]*)=\{[A-Za-z_][A-Za-z0-9_]*\}\/$/;

/** What a purge CustomCode deletes before the sink writes; refuses code it cannot read. */
export function parsePurgeCode(id: string, spec: CustomCode): PurgePartitions {
  const code = spec.Code ?? '';
  if (!new RegExp(`^def ${spec.ClassName}\\(glueContext, dfc\\)`, 'm').test(code)) {
    throw new GlueDagError(`glue-dag: CustomCode ${id} must define ${spec.ClassName}(glueContext, dfc), got ${code.slice(0, 60)}`);
  }
  const call = PURGE_CALL.exec(code);
  if (!call) throw new GlueDagError(`glue-dag: CustomCode ${id} has no glueContext.purge_s3_path(f"...", {...}) call, got ${code.slice(0, 60)}`);
  // A retention period keeps recent files: a rerun would then duplicate, so only 0 is faithful here.
  if (!/"retentionPeriod"\s*:\s*0\s*[,}]/.test(call[2])) {
    throw new GlueDagError(`glue-dag: CustomCode ${id} must purge with {"retentionPeriod": 0}, got ${call[2]}`);
  }
  const path = PURGE_PATH.exec(call[1]);
  if (!path) throw new GlueDagError(`glue-dag: CustomCode ${id} purge path must read s3://bucket/prefix/<column>={value}/, got ${call[1]}`);
  return { s3Prefix: path[1], partitionColumn: path[2] };
}

/** The local meaning of a CustomCode node, by its ClassName. */
export type CustomCodeBehaviour = { readonly kind: 'purge-partitions'; readonly purge: PurgePartitions };

export function customCodeBehaviour(id: string, spec: CustomCode): CustomCodeBehaviour {
  switch (spec.ClassName) {
    case PURGE_CLASS_NAME:
      return { kind: 'purge-partitions', purge: parsePurgeCode(id, spec) };
    default:
      throw new GlueDagError(`glue-dag: unsupported CustomCode class in node ${id}, got ${spec.ClassName}`);
  }
}
