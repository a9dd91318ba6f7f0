import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { writeZip } from './zip';

/** The repository root: bundling resolves `functions/<name>/handler.ts` from here. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

export interface FunctionBundle {
  /** Absolute path of the deterministic zip (one `index.js` at its root). */
  readonly zipPath: string;
  /** base64 SHA-256 of the zip: what Lambda reports as CodeSha256, so plans compare equal. */
  readonly sha256Base64: string;
  readonly sizeBytes: number;
}

/**
 * Bundles `functions/<name>/handler.ts` with esbuild into one minified CommonJS file and zips it.
 * `@aws-sdk/*` stays external: the nodejs22.x runtime ships SDK v3. The zip lands in a folder
 * named by its own hash under `outDir`, so synths never overwrite each other's inputs.
 */
export function bundleFunction(name: string, outDir: string): FunctionBundle {
  const entry = join(PROJECT_ROOT, 'functions', name, 'handler.ts');
  if (!existsSync(entry)) throw new Error(`bundle: no handler for function ${name}, got missing ${entry}`);
  const result = buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    external: ['@aws-sdk/*'],
    write: false,
    outfile: 'index.js',
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('index.js'));
  if (!code) throw new Error(`bundle: esbuild produced no index.js for ${name}, got ${result.outputFiles.length} file(s)`);
  const zip = writeZip([{ path: 'index.js', data: code.contents }]);
  const digest = createHash('sha256').update(zip).digest();
  const sha256Base64 = digest.toString('base64');
  const dir = join(outDir, `${name}-${digest.toString('hex').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, `${name}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, sha256Base64, sizeBytes: zip.length };
}
