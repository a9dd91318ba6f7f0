import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { b3QuotesRefinedJob } from '../../glue-jobs/b3-quotes-refined';

/** Runs botocore's ParamValidator (and the model's patterns) on the request's JSON. */
function botocoreValidate(request: unknown): { errors: string; patterns: string[] } {
  const run = spawnSync('python3', [join(__dirname, 'validate-create-job.py')], { input: JSON.stringify(request), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed (botocore must be installed): ${run.stderr}`);
  return JSON.parse(run.stdout) as { errors: string; patterns: string[] };
}

const job: CreateJobRequest = b3PortfolioRefinedJob({ jobName: 'b3-refined-dev', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake-dev' });

describe('the job definition against the Glue API model (botocore)', () => {
  it('is a valid CreateJob request', () => {
    expect(botocoreValidate(job)).toEqual({ errors: '', patterns: [] });
  });

  it('the quotes job (b3-quotes-refined) is a valid CreateJob request too', () => {
    const quotes = b3QuotesRefinedJob({ jobName: 'b3-refine-quotes-dev', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake-dev' });
    expect(botocoreValidate(quotes)).toEqual({ errors: '', patterns: [] });
    const target = quotes.CodeGenConfigurationNodes!['node-quotes-target'].S3GlueParquetTarget!;
    const broken = { ...quotes, CodeGenConfigurationNodes: { ...quotes.CodeGenConfigurationNodes, 'node-quotes-target': { S3GlueParquetTarget: { ...target, Partitions: [['dt']] } } } };
    expect(botocoreValidate(broken).errors).toContain('Unknown parameter in CodeGenConfigurationNodes.node-quotes-target.S3GlueParquetTarget: "Partitions"');
  });

  it('the validator can fail: a Join with one input and a bad node id are reported', () => {
    const broken = {
      ...job,
      CodeGenConfigurationNodes: {
        ...job.CodeGenConfigurationNodes,
        'bad id!': { Join: { Name: 'j', Inputs: ['node-apply-mapping'], JoinType: 'left', Columns: [] } },
      },
    };
    const report = botocoreValidate(broken);
    expect(report.errors).toContain("Invalid length for parameter CodeGenConfigurationNodes.bad id!.Join.Inputs, value: 1, valid min length: 2");
    expect(report.patterns).toContain("CreateJob.CodeGenConfigurationNodes key 'bad id!' does not match [A-Za-z0-9_-]*");
  });

  it('refuses a member the model does not have, so every field the DAG sets is one of Glue\'s', () => {
    const target = job.CodeGenConfigurationNodes!['node-daily-target'].S3GlueParquetTarget!;
    const misspelled = { ...job, CodeGenConfigurationNodes: { ...job.CodeGenConfigurationNodes, 'node-daily-target': { S3GlueParquetTarget: { ...target, NumberOfTargetPartitions: '1' } } } };
    expect(botocoreValidate(misspelled).errors).toContain('Unknown parameter in CodeGenConfigurationNodes.node-daily-target.S3GlueParquetTarget: "NumberOfTargetPartitions"');
  });
});
