import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findOnPath, isExecutableFile } from './find-executable';

/** Names Chromium goes by on PATH, in the order they are tried. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

export interface ChromiumLookup {
  readonly env: NodeJS.ProcessEnv;
  readonly isExecutable?: (file: string) => boolean;
}

/** CHROMIUM_PATH when set (it must be executable), else the first of CHROMIUM_NAMES on PATH. */
export function findChromium({ env, isExecutable = isExecutableFile }: ChromiumLookup): string | undefined {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`test setup: CHROMIUM_PATH names no executable file, got ${configured}`);
    return configured;
  }
  for (const name of CHROMIUM_NAMES) {
    const found = findOnPath(name, env.PATH, isExecutable);
    if (found) return found;
  }
  return undefined;
}

/** True for /etc/os-release text of Debian, Ubuntu or a derivative of either (ID or ID_LIKE). */
export function isDebianLike(osRelease: string): boolean {
  return /^(ID|ID_LIKE)="?[^"\n]*\b(debian|ubuntu)\b/m.test(osRelease);
}

export interface ChromiumSetup extends ChromiumLookup {
  readonly uid: number;
  readonly osRelease: string;
  readonly log: (line: string) => void;
  /** Runs apt-get with these arguments; the default runs the real one. */
  readonly aptGet?: (args: string[]) => void;
  /** The files the installed Debian package holds; the default asks dpkg -L. */
  readonly packageFiles?: (pkg: string) => string[];
}

const NOT_FOUND =
  'test setup: Chromium not found (set CHROMIUM_PATH, put chromium, chromium-browser or google-chrome on PATH, or run as root on Debian or Ubuntu to have apt-get install chromium)';

/**
 * The browser the report test drives: found, or installed with apt-get when running as root on
 * Debian or Ubuntu; otherwise one line saying what to install.
 */
export function ensureChromium(setup: ChromiumSetup): string {
  const found = findChromium(setup);
  if (found) return found;
  if (setup.uid !== 0 || !isDebianLike(setup.osRelease)) {
    throw new Error(`${NOT_FOUND}, got uid ${setup.uid} on ${osName(setup.osRelease)}`);
  }
  setup.log('test setup: Chromium not found; apt-get install chromium (a few minutes)');
  const aptGet = setup.aptGet ?? realAptGet;
  aptGet(['update', '-qq']);
  aptGet(['install', '-y', '-qq', 'chromium']);
  // The package's own binary, found even when its bin folder is not on this PATH.
  const isExecutable = setup.isExecutable ?? isExecutableFile;
  const installed = findChromium(setup) ?? (setup.packageFiles ?? dpkgFiles)('chromium').find((f) => /\/bin\/chromium$/.test(f) && isExecutable(f));
  if (!installed) throw new Error(`${NOT_FOUND}, got no chromium binary after apt-get install chromium`);
  return installed;
}

export function readOsRelease(): string {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}

function osName(osRelease: string): string {
  return osRelease.match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? (osRelease.match(/^ID="?([^"\n]*)/m)?.[1] || 'an unknown system');
}

function dpkgFiles(pkg: string): string[] {
  const r = spawnSync('dpkg', ['-L', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n') : [];
}

function realAptGet(args: string[]): void {
  const r = spawnSync('apt-get', args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20 * 60_000,
  });
  if (r.error || r.status !== 0) {
    const detail = r.error?.message ?? `exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
    throw new Error(`test setup: apt-get ${args.join(' ')} failed, got ${detail}`);
  }
}
