import { existsSync, readFileSync, rmSync } from 'node:fs';
import { statePath, type GlobalState } from './global-state';

/** Ends the moto_server globalSetup started (its process group, by id) and removes the temp dir. */
export default async function globalTeardown(): Promise<void> {
  const path = statePath();
  if (!existsSync(path)) return;
  const state = JSON.parse(readFileSync(path, 'utf8')) as GlobalState;
  if (state.motoPid > 0) {
    try {
      process.kill(-state.motoPid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(state.workDir, { recursive: true, force: true });
  rmSync(path, { force: true });
}
