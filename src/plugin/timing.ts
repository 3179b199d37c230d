/**
 * The plugin's start-up, measured from inside (`npm run bench`, section `plugin`): with
 * `CEN_FLOWLOG_PLUGIN_TIMING=<file>`, each plugin process appends one JSON line to <file> once it
 * has answered the engine's first call: when the process started, when its code was loaded, when
 * it listened (and printed the port), when the first call arrived and when it was answered.
 * Times are milliseconds since the epoch. Nothing else is recorded: no request, no setting.
 */
import { appendFileSync } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';

export const TIMING_ENV = 'CEN_FLOWLOG_PLUGIN_TIMING';

export interface StartupTiming {
  pid: number;
  /** The process's start (Node's time origin: the moment the engine's spawn became this process). */
  startedAt: number;
  /** This module evaluated: Node and the plugin's code loaded. */
  loadedAt: number;
  listeningAt?: number;
  firstCall?: { method: string; at: number };
  firstAnswer?: { method: string; at: number };
}

const now = (): number => performance.timeOrigin + performance.now();
const loadedAt = now();

type Handler = (call: unknown, callback: (...args: unknown[]) => void) => void;

/**
 * `service` with its first call and first answer noted, and a recorder for the moment the server
 * listens; the line goes to `file` after the first answer. Without a file, `service` unchanged.
 */
export function withStartupTiming<S extends grpc.UntypedServiceImplementation>(
  service: S,
  file: string | undefined,
): { service: S; listening(): void } {
  if (!file) return { service, listening: () => undefined };
  const timing: StartupTiming = { pid: process.pid, startedAt: performance.timeOrigin, loadedAt };
  let written = false;
  const wrapped = Object.fromEntries(
    Object.entries(service).map(([method, handler]) => {
      const timed: Handler = (call, callback) => {
        timing.firstCall ??= { method, at: now() };
        (handler as Handler)(call, (...args) => {
          if (!written) {
            written = true;
            timing.firstAnswer = { method, at: now() };
            try {
              appendFileSync(file, `${JSON.stringify(timing)}\n`);
            } catch (err) {
              process.stderr.write(`pulumi-resource-cen-flowlog: cannot write ${TIMING_ENV} file ${file}: ${(err as Error).message}\n`);
            }
          }
          callback(...args);
        });
      };
      return [method, timed];
    }),
  ) as unknown as S;
  return { service: wrapped, listening: () => void (timing.listeningAt ??= now()) };
}
