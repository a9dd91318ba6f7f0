import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A program in its own process, its exit code and whole output collected. B3_BASE_URL and B3_COTAHIST_BASE_URL are blanked
 * so no test reaches the real B3 by accident; `env` adds to or overrides the inherited environment.
 */
export function runProcess(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, B3_BASE_URL: '', B3_COTAHIST_BASE_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI as a user runs it (`npm start` is `tsx cli/main.ts`), in its own process. */
export function cli(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return runProcess(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'cli/main.ts'), ...args], cwd, env);
}

/** A package.json script itself (`npm run <script> -- …`), quiet so stdout is the script's own. */
export function npmRun(script: string, args: readonly string[], cwd: string): Promise<CliRun> {
  return runProcess('npm', ['run', '--silent', '--prefix', ROOT, script, '--', ...args], cwd);
}
