import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What globalSetup started, written to a file so the teardown can end it even after a crash. */
export interface GlobalState {
  motoPid: number;
  workDir: string;
}

/** Setup and teardown run in the same jest process, so its pid names the file. */
export function statePath(): string {
  return join(tmpdir(), `b3-jest-global-${process.pid}.json`);
}
