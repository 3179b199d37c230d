/** Where the conformance test finds the Go toolchain, and what it says when there is none. */
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

export const GO_INSTALL_HELP = [
  "The conformance test (test/conformance) runs Alibaba's own Go SDK against the emulator and needs Go 1.21 or later.",
  'Install it from https://go.dev/doc/install, for example on Linux x86-64:',
  '  curl -fsSL https://go.dev/dl/go1.22.12.linux-amd64.tar.gz | sudo tar -C /usr/local -xz',
  'then put /usr/local/go/bin on PATH, or point GO at the binary (GO=/path/to/go npm test).',
  'The SDK modules come from the Go module proxy (GOPROXY) on the first run.',
].join('\n');

export type Exists = (file: string) => boolean;

export const isExecutable: Exists = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The `go` binary: `$GO` when set (it must exist), else the first on PATH, else
 * `$GOROOT/bin/go`, else the standard install location /usr/local/go/bin/go.
 * Throws with {@link GO_INSTALL_HELP} when there is none: the test fails, never skips.
 */
export function findGo(env: NodeJS.ProcessEnv, exists: Exists = isExecutable): string {
  if (env.GO) {
    if (exists(env.GO)) return env.GO;
    throw new Error(`GO is set to ${env.GO}, which is not an executable file.\n${GO_INSTALL_HELP}`);
  }
  const candidates = [
    ...(env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, 'go')),
    ...(env.GOROOT ? [path.join(env.GOROOT, 'bin', 'go')] : []),
    '/usr/local/go/bin/go',
  ];
  const found = candidates.find(exists);
  if (found) return found;
  throw new Error(`Go was not found (looked in PATH, $GOROOT/bin and /usr/local/go/bin).\n${GO_INSTALL_HELP}`);
}

export interface GoTestEvent {
  Action: string;
  Test?: string;
  Output?: string;
}

export interface GoTestResult {
  /** Final action of each top-level test: pass, fail or skip. */
  status: Map<string, string>;
  /** Everything each top-level test (and its subtests) printed. */
  output: Map<string, string>;
  /** Output not tied to a test (build errors, package summary). */
  other: string;
}

/** Reads `go test -json` output; lines that are not JSON (build failures) go to `other`. */
export function parseGoTestJson(stdout: string): GoTestResult {
  const result: GoTestResult = { status: new Map(), output: new Map(), other: '' };
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let event: GoTestEvent;
    try {
      event = JSON.parse(line) as GoTestEvent;
    } catch {
      result.other += `${line}\n`;
      continue;
    }
    const top = event.Test?.split('/')[0];
    if (!top) {
      if (event.Output) result.other += event.Output;
      continue;
    }
    if (event.Output) result.output.set(top, (result.output.get(top) ?? '') + event.Output);
    if (event.Test === top && ['pass', 'fail', 'skip'].includes(event.Action)) result.status.set(top, event.Action);
  }
  return result;
}
