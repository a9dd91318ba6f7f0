import { rmSync } from 'node:fs';
import { resourcesOf, synthStack, testConfig, type TfJson } from './support';

/**
 * Actions AWS cannot scope to a resource, so `Resource: "*"` is the only option. Each must carry
 * a condition narrowing it where AWS offers one.
 */
const UNSCOPABLE_ACTIONS = new Set(['cloudwatch:PutMetricData']);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: unknown;
}

/** Every policy document in the stack: inline role policies, trust policies, resource policies. */
function statements(tf: TfJson): { where: string; statement: Statement }[] {
  const sources: [string, string][] = [
    ...resourcesOf(tf, 'aws_iam_role_policy').map((p) => [`role policy ${p.name}`, p.policy as string] as [string, string]),
    ...resourcesOf(tf, 'aws_iam_role').map((r) => [`trust of ${r.name}`, r.assume_role_policy as string] as [string, string]),
    ...resourcesOf(tf, 'aws_s3_bucket_policy').map((p) => ['bucket policy', p.policy as string] as [string, string]),
    ...resourcesOf(tf, 'aws_sns_topic_policy').map((p) => ['topic policy', p.policy as string] as [string, string]),
  ];
  return sources.flatMap(([where, doc]) =>
    (JSON.parse(doc) as { Statement: Statement[] }).Statement.map((statement) => ({ where, statement })),
  );
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe('IAM across the whole stack', () => {
  const { tfJson, outDir } = synthStack(testConfig({ sparkNotebookWorkgroup: true, alertEmail: 'a@example.com' }));
  const all = statements(tfJson);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('finds the policies it audits', () => {
    // 7 role policies (scraper, trigger, scheduler, and each of the two Glue jobs and its provisioner) + Spark role = 8
    expect(resourcesOf(tfJson, 'aws_iam_role_policy')).toHaveLength(8);
    expect(all.length).toBeGreaterThan(20);
  });

  it('allows no wildcard action', () => {
    const wildcards = all
      .filter(({ statement }) => statement.Effect === 'Allow')
      .flatMap(({ where, statement }) => list(statement.Action).filter((a) => a.includes('*')).map((a) => `${where}: ${a}`));
    expect(wildcards).toEqual([]);
  });

  it('uses Resource "*" only for actions AWS scopes no narrower, and then with a condition', () => {
    const unscoped = all.filter(({ statement }) => statement.Effect === 'Allow' && list(statement.Resource).includes('*'));
    for (const { where, statement } of unscoped) {
      expect({ where, actions: list(statement.Action).filter((a) => !UNSCOPABLE_ACTIONS.has(a)) }).toEqual({ where, actions: [] });
      expect(statement.Condition).toBeDefined();
    }
  });

  it('attaches no managed policy (no AWSGlueServiceRole, no *FullAccess)', () => {
    expect(resourcesOf(tfJson, 'aws_iam_role_policy_attachment')).toEqual([]);
    expect(resourcesOf(tfJson, 'aws_iam_policy_attachment')).toEqual([]);
    for (const role of resourcesOf(tfJson, 'aws_iam_role')) expect(role.managed_policy_arns).toBeUndefined();
  });

  it('lets each service principal in only where it is meant to', () => {
    const trusts = resourcesOf(tfJson, 'aws_iam_role')
      .map((r) => [r.name, JSON.parse(r.assume_role_policy as string).Statement[0].Principal.Service])
      .sort();
    expect(trusts).toEqual([
      ['b3t-test-glue-provisioner', 'lambda.amazonaws.com'],
      ['b3t-test-glue-quotes-provisioner', 'lambda.amazonaws.com'],
      ['b3t-test-glue-trigger', 'lambda.amazonaws.com'],
      ['b3t-test-notebooks', 'athena.amazonaws.com'],
      ['b3t-test-refine-glue', 'glue.amazonaws.com'],
      ['b3t-test-refine-quotes-glue', 'glue.amazonaws.com'],
      ['b3t-test-scraper', 'lambda.amazonaws.com'],
      ['b3t-test-scraper-scheduler', 'scheduler.amazonaws.com'],
    ]);
  });
});
