/**
 * What the deploy workflow promises the infra team, checked on its parsed YAML: the plan job
 * writes a binary plan with `terraform plan -out` and its text, and uploads both; the apply job is
 * gated by the environment, downloads that artifact into the same folder and runs
 * `terraform apply <that plan file>`, and nothing in it plans again. AWS access is OIDC only.
 * Returns every broken promise, one line each; none means the contract holds.
 */

export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly 'working-directory'?: string;
}
export interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string>;
  readonly strategy?: { matrix?: Record<string, unknown>; 'max-parallel'?: number };
  readonly steps?: Step[];
}
export interface Workflow {
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const commands = (step: Step) => (step.run ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
const usesAction = (step: Step, action: string) => step.uses?.split('@')[0] === action;
// Commands that make a new plan or deploy outside the reviewed plan file.
const REPLAN = [/\bterraform\s+plan\b/, /\bcdktf\b/, /\bnpm\s+run\s+(deploy|synth|plan)\b/, /-auto-approve\b/, /-refresh-only\b/, /-replace\b/];

export function planApplyViolations(wf: Workflow, planJobName = 'plan', applyJobName = 'apply'): string[] {
  const problems: string[] = [];
  const plan = wf.jobs[planJobName];
  const apply = wf.jobs[applyJobName];
  if (!plan || !apply) return [`workflow: needs jobs ${planJobName} and ${applyJobName}, got ${Object.keys(wf.jobs).join(', ')}`];
  const planSteps = plan.steps ?? [];
  const applySteps = apply.steps ?? [];

  // The plan job: synth, then terraform plan -out=<file> in the stack folder, its text, the upload.
  const planAt = planSteps.findIndex((s) => commands(s).some((c) => /\bterraform\s+plan\b.*\s-out=\S+/.test(c)));
  if (planAt < 0) return [...problems, 'plan job: no step runs terraform plan -out=<file>'];
  const planStep = planSteps[planAt];
  const planDir = planStep['working-directory'];
  const planFile = commands(planStep).map((c) => c.match(/\bterraform\s+plan\b.*\s-out=(\S+)/)?.[1]).find(Boolean) as string;
  if (!planDir?.startsWith('cdktf.out/stacks/')) problems.push(`plan job: terraform plan must run in the synthesized stack folder, got ${planDir}`);
  const synthAt = planSteps.findIndex((s) => commands(s).some((c) => /\bnpm\s+run\s+synth\b|\bcdktf\s+synth\b/.test(c)));
  if (synthAt < 0 || synthAt > planAt) problems.push(`plan job: must synthesize before planning, got synth at step ${synthAt}, plan at ${planAt}`);
  if (!commands(planStep).some((c) => new RegExp(`\\bterraform\\s+show\\b.*\\s${planFile}\\s*>\\s*\\S+`).test(c))) {
    problems.push(`plan job: no text rendering (terraform show ${planFile} > file), got ${JSON.stringify(planStep.run)}`);
  }
  const upload = planSteps.slice(planAt + 1).find((s) => usesAction(s, 'actions/upload-artifact'));
  const uploadPaths = String(upload?.with?.path ?? '').split('\n').map((p) => p.trim()).filter(Boolean);
  if (!upload) problems.push('plan job: no actions/upload-artifact after the plan');
  else if (!uploadPaths.includes(planDir ?? '')) problems.push(`plan job: the artifact must hold the stack folder ${planDir} (plan, text, lock file, assets), got ${uploadPaths.join(', ')}`);
  else if (upload.with?.['include-hidden-files'] !== true) problems.push('plan job: the artifact must include hidden files (.terraform.lock.hcl), got include-hidden-files unset');
  if (plan.environment !== undefined) problems.push(`plan job: must not wait for an approval (the approval is for the apply), got environment ${JSON.stringify(plan.environment)}`);

  // The apply job: after the plan, gated by the environment, applies exactly that file.
  if (!needsOf(apply).includes(planJobName)) problems.push(`apply job: must need ${planJobName}, got ${JSON.stringify(apply.needs)}`);
  const environment = typeof apply.environment === 'string' ? apply.environment : apply.environment?.name;
  if (!environment) problems.push('apply job: must be gated by an environment, got none');
  if (JSON.stringify(apply.strategy?.matrix) !== JSON.stringify(plan.strategy?.matrix)) {
    problems.push(`apply job: must apply the environments planned, got ${JSON.stringify(apply.strategy?.matrix)} vs ${JSON.stringify(plan.strategy?.matrix)}`);
  }
  const downloadAt = applySteps.findIndex((s) => usesAction(s, 'actions/download-artifact'));
  const download = applySteps[downloadAt];
  if (!download) problems.push('apply job: no actions/download-artifact step');
  else {
    if (download.with?.name !== upload?.with?.name) problems.push(`apply job: must download the plan artifact ${upload?.with?.name}, got ${download.with?.name}`);
    if (download.with?.path !== planDir) problems.push(`apply job: must download into ${planDir}, got ${download.with?.path}`);
  }
  const applyAt = applySteps.findIndex((s) => commands(s).some((c) => /\bterraform\s+apply\b/.test(c)));
  const applyStep = applySteps[applyAt];
  const applyCommand = applyStep && commands(applyStep).find((c) => /\bterraform\s+apply\b/.test(c));
  if (!applyStep || !applyCommand) problems.push('apply job: no step runs terraform apply');
  else {
    if (applyCommand.split(/\s+/).pop() !== planFile) problems.push(`apply job: must run terraform apply ${planFile}, got ${applyCommand}`);
    if (applyStep['working-directory'] !== planDir) problems.push(`apply job: must apply in ${planDir}, got ${applyStep['working-directory']}`);
    if (applyAt < downloadAt) problems.push('apply job: applies before downloading the plan');
  }
  for (const step of applySteps) {
    for (const c of commands(step)) {
      if (REPLAN.some((re) => re.test(c))) problems.push(`apply job: must not plan or deploy again, got ${c}`);
    }
  }

  // OIDC only: every job that assumes a role may ask for the token; no keys anywhere.
  for (const [name, job] of Object.entries(wf.jobs)) {
    for (const step of job.steps ?? []) {
      if (!usesAction(step, 'aws-actions/configure-aws-credentials')) continue;
      if (job.permissions?.['id-token'] !== 'write') problems.push(`${name} job: assumes a role without permissions id-token: write`);
      if (!String(step.with?.['role-to-assume'] ?? '').includes('vars.')) problems.push(`${name} job: role-to-assume must come from a repository variable, got ${step.with?.['role-to-assume']}`);
      for (const key of ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token']) {
        if (step.with?.[key] !== undefined) problems.push(`${name} job: long-lived credentials (${key}) instead of OIDC`);
      }
    }
  }
  if (wf.permissions?.['id-token'] !== undefined) problems.push('workflow: id-token must be granted per job, not to every job');
  return problems;
}
