import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { PROJECT_ROOT } from '../../../stacks/bundling/bundle-function';
import { resourcesOf, synthStack, testConfig } from '../support';

const MAX_ARCHIVE_BYTES = 250 * 1024;

/** function name → { hash Terraform sees, archive path in the synth output } */
function archives(stackDir: string, tf: ReturnType<typeof synthStack>['tfJson']) {
  return Object.fromEntries(
    resourcesOf(tf, 'aws_lambda_function').map((fn) => [
      fn.function_name as string,
      { hash: fn.source_code_hash as string, path: join(stackDir, fn.filename as string) },
    ]),
  );
}

describe('Lambda archives', () => {
  const first = synthStack(testConfig());
  const second = synthStack(testConfig());
  const a = archives(first.stackDir, first.tfJson);
  const b = archives(second.stackDir, second.tfJson);
  afterAll(() => [first, second].forEach((s) => rmSync(s.outDir, { recursive: true, force: true })));

  it('are identical across two synths (same source, same hash, same bytes)', () => {
    expect(Object.keys(a).sort()).toEqual(['b3t-test-glue-provisioner', 'b3t-test-glue-quotes-provisioner', 'b3t-test-glue-trigger', 'b3t-test-scraper']);
    for (const name of Object.keys(a)) {
      expect(b[name].hash).toBe(a[name].hash);
      expect(readFileSync(b[name].path).equals(readFileSync(a[name].path))).toBe(true);
    }
  });

  it('carry the base64 SHA-256 of the archive Terraform uploads as source_code_hash', () => {
    for (const { hash, path } of Object.values(a)) {
      expect(createHash('sha256').update(readFileSync(path)).digest('base64')).toBe(hash);
    }
  });

  it(`are each at most 250 KiB zipped`, () => {
    const sizes = Object.fromEntries(Object.entries(a).map(([name, { path }]) => [name, statSync(path).size]));
    for (const [name, size] of Object.entries(sizes)) {
      expect({ name, withinLimit: size <= MAX_ARCHIVE_BYTES }).toEqual({ name, withinLimit: true });
      expect(size).toBeGreaterThan(1024); // a real bundle, not an empty zip
    }
  });

  it('hold a bundle that loads and reports missing configuration on first call', async () => {
    // Extracted inside the project so `@aws-sdk/*` (external: the runtime ships it) resolves from node_modules.
    mkdirSync(join(PROJECT_ROOT, '.gen'), { recursive: true });
    const dir = mkdtempSync(join(PROJECT_ROOT, '.gen', 'unzipped-'));
    try {
      execFileSync('python3', ['-m', 'zipfile', '-e', a['b3t-test-glue-trigger'].path, dir]);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bundle = require(join(dir, 'index.js')) as { handler: (e: unknown) => Promise<unknown> };
      const saved = process.env.GLUE_JOB_NAME;
      delete process.env.GLUE_JOB_NAME;
      try {
        await expect(bundle.handler({ Records: [] })).rejects.toThrow('config: missing environment variable(s) GLUE_JOB_NAME');
      } finally {
        if (saved !== undefined) process.env.GLUE_JOB_NAME = saved;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
