import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `terraform init` gets hashicorp/aws: the public registry, or an unpacked filesystem mirror. */
export type ProviderSource = { kind: 'registry' } | { kind: 'mirror'; dir: string };

export interface ProviderSourceLookup {
  /** TF_PLUGIN_MIRROR: the parent of `registry.terraform.io`, or `registry`. */
  readonly configured: string | undefined;
  readonly discover: () => string | undefined;
  readonly hasProvider?: (mirrorDir: string) => boolean;
}

/**
 * TF_PLUGIN_MIRROR when set (it must hold hashicorp/aws, or be `registry`); else a mirror found on
 * the machine; else the registry (a machine that reaches it needs no mirror).
 */
export function resolveProviderSource({ configured, discover, hasProvider = mirrorHasAws }: ProviderSourceLookup): ProviderSource {
  const value = configured?.trim();
  if (value === 'registry') return { kind: 'registry' };
  const dir = value || discover();
  if (!dir) return { kind: 'registry' };
  if (!hasProvider(dir)) {
    throw new Error(
      `test setup: no Terraform provider mirror with hashicorp/aws (set TF_PLUGIN_MIRROR to the parent of registry.terraform.io), got ${dir}`,
    );
  }
  return { kind: 'mirror', dir };
}

export function mirrorHasAws(dir: string): boolean {
  return existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws'));
}

/** The CLI config that makes `terraform init` install every provider from the mirror. */
export function mirrorCliConfig(dir: string): string {
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(dir)}\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`;
}

/** A directory named registry.terraform.io within four levels of /, as offline build machines keep it. */
export function discoverMirror(): string | undefined {
  let out: string;
  try {
    out = execFileSync('find', ['/', '-maxdepth', '4', '-type', 'd', '-name', 'registry.terraform.io', '-not', '-path', '/proc/*'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (err) {
    // find exits non-zero on unreadable directories but still prints what it found
    out = String((err as { stdout?: string }).stdout ?? '');
  }
  const first = out.split('\n').find((line) => line.trim() !== '');
  return first ? first.replace(/\/registry\.terraform\.io$/, '') : undefined;
}
