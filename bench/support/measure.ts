import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The project root: every benchmark process runs from it. */
export const ROOT = resolve(__dirname, '..', '..');

export interface Measured {
  readonly wallMs: number;
  readonly peakRssMiB: number;
  /** The process's last stdout line, parsed as JSON. */
  readonly out: Record<string, unknown>;
}

/** Runs `node --import tsx <script> …` as a whole process under /usr/bin/time -v: wall time and peak RSS. */
export function measure(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): Measured {
  return measureCommand(process.execPath, ['--import', 'tsx', script, ...args], env);
}

/** Any program (a Python baseline too) as a whole process under /usr/bin/time -v, in `env` (this process's by default). */
export function measureCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Measured {
  const script = `${command} ${args.join(' ')}`;
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-v', command, ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Math.round(performance.now() - started);
  if (run.error) throw new Error(`bench: cannot run /usr/bin/time (apt-get install time), got ${run.error.message}`);
  if (run.status !== 0) throw new Error(`bench: ${script} failed: ${run.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  const lastLine = run.stdout.trim().split('\n').pop() ?? '{}';
  return { wallMs, peakRssMiB: rss ? Math.round(Number(rss[1]) / 1024) : NaN, out: JSON.parse(lastLine) as Record<string, unknown> };
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

/**
 * This environment without NODE_EXTRA_CA_CERTS: Node 20 reads and parses every certificate of
 * that file at start-up, before a line of JavaScript runs (measured here: V8 starts 60-100 ms
 * later with the machine's system bundle than without). A deployed function has no such variable,
 * and no benchmarked process opens a TLS connection.
 */
export function withoutExtraCaCerts(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _, ...rest } = env;
  return rest;
}

/** When node's V8 started (performance.nodeTiming.v8Start, ms since the process began) in `env`: the median of `runs` starts. */
export function nodeV8StartMs(env: NodeJS.ProcessEnv, runs = 5): number {
  const starts = Array.from({ length: runs }, () => {
    const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(performance.nodeTiming.v8Start))'], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`bench: node -e failed: ${run.stderr}`);
    return Number(run.stdout);
  });
  return Math.round(median(starts) * 10) / 10;
}
