/** The optional state file: loaded at start, rewritten atomically (temp file + rename) after every change. */
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
  if (state?.format !== FORMAT || !Array.isArray(state.flowLogs) || !Array.isArray(state.projects) || !Array.isArray(state.clientTokens)) {
    throw new Error(`Emulator state file ${file} is not a ${FORMAT} state file; fix or remove it. It was left untouched.`);
  }
  for (const rec of state.flowLogs) {
    if (typeof rec?.flowLogId !== 'string' || typeof rec.transitRouterId !== 'string' || !Array.isArray(rec.tags)) {
      throw new Error(`Emulator state file ${file} holds a malformed flow log; fix or remove it. It was left untouched.`);
    }
  }
  return state as PersistedState;
}

const tempName = (file: string, pid: number): string => `${file}.${pid}.tmp`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Delete the temporary files that a process killed mid-save left next to the state file.
 * A live process's file is left alone (two emulators on one file is the caller's mistake,
 * but not one to punish by deleting its work); returns the names removed.
 */
export function removeStaleTemps(file: string): string[] {
  const dir = dirname(file);
  const pattern = new RegExp(`^${basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1] ?? NaN);
    if (Number.isNaN(pid) || (pid !== process.pid && alive(pid))) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // Best effort: a leftover temporary file does no harm to the state file itself.
    }
  }
  return removed;
}

/** Write to a temporary file, flush it, then rename over the old one: a crash leaves old or new, never half. */
export function saveState(file: string, state: Omit<PersistedState, 'format'>): void {
  const tmp = tempName(file, process.pid);
  const fd = openSync(tmp, 'w');
  try {
    try {
      writeSync(fd, JSON.stringify({ format: FORMAT, ...state }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
