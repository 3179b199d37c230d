/** The optional state file: loaded at start, rewritten atomically (temp file + rename) after every change. */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { FlowLogRecord } from './store';
import type { TokenEntry } from './idempotency';
import type { SlsProject } from './types';

export interface PersistedState {
  format: 'cen-flowlog-emulator/1';
  flowLogs: FlowLogRecord[];
  projects: SlsProject[];
  clientTokens: Array<[string, TokenEntry]>;
}

const FORMAT = 'cen-flowlog-emulator/1';

/** The saved state, or undefined when the file does not exist yet. Anything else is an error. */
export function loadState(file: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read emulator state file ${file}: ${(err as Error).message}`);
  }
  let state: Partial<PersistedState>;
  try {
    state = JSON.parse(text) as Partial<PersistedState>;
  } catch (err) {
    throw new Error(`Emulator state file ${file} is corrupt (${(err as Error).message}); fix or remove it. It was left untouched.`);
  }
  if (state?.format !== FORMAT || !Array.isArray(state.flowLogs) || !Array.isArray(state.projects)
    || !Array.isArray(state.clientTokens)) {
    throw new Error(`Emulator state file ${file} is not a ${FORMAT} state file; fix or remove it. It was left untouched.`);
  }
  for (const rec of state.flowLogs) {
    if (typeof rec?.flowLogId !== 'string' || typeof rec.transitRouterId !== 'string' || !Array.isArray(rec.tags)) {
      throw new Error(`Emulator state file ${file} holds a malformed flow log; fix or remove it. It was left untouched.`);
    }
  }
  return state as PersistedState;
}

/** Write to a temporary file, flush it, then rename over the old one: a crash leaves old or new, never half. */
export function saveState(file: string, state: Omit<PersistedState, 'format'>): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify({ format: FORMAT, ...state }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
