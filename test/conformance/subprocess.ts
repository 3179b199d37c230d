/** Running an SDK's test program and reading its report: one JSON line `{test, status, output}` per test. */
import { execFile } from 'node:child_process';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr: err && code === -1 ? `${stderr}\n${err.message}` : stderr });
      },
    );
  });
}

export interface TestLine {
  test: string;
  status: string;
  output: string;
}

export interface TestReport {
  results: Map<string, TestLine>;
  /** Lines that are not results (crashes, stray prints). */
  other: string;
}

export function parseResults(stdout: string): TestReport {
  const results = new Map<string, TestLine>();
  let other = '';
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as TestLine;
      if (typeof r.test === 'string' && typeof r.status === 'string') {
        results.set(r.test, r);
        continue;
      }
    } catch {
      // not a result line: kept for the report
    }
    other += `${line}\n`;
  }
  return { results, other };
}
