import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest'; // the matchers' type declarations
import { synthStack, testConfig } from './support';

Testing.setupJest();

// terraform init (through the offline mirror the globalSetup configured) + terraform validate.
describe('synthesized Terraform', () => {
  it('is valid for a development environment with every option on', () => {
    const { outDir } = synthStack(testConfig({ sparkNotebookWorkgroup: true, alertEmail: 'oncall@example.com' }));
    try {
      expect(outDir).toBeValidTerraform();
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('is valid for production (no force_destroy, longer retention)', () => {
    const { outDir } = synthStack(testConfig({ environment: 'prod', production: true, logRetentionDays: 90 }));
    try {
      expect(outDir).toBeValidTerraform();
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('is rejected once an argument the provider does not know is added (the check can fail)', () => {
    const { outDir, stackDir } = synthStack(testConfig());
    try {
      const file = join(stackDir, 'cdk.tf.json');
      const tf = JSON.parse(readFileSync(file, 'utf8'));
      Object.values(tf.resource.aws_s3_bucket as Record<string, Record<string, unknown>>)[0].not_an_argument = true;
      writeFileSync(file, JSON.stringify(tf));
      expect(outDir).not.toBeValidTerraform();
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
