/**
 * The harness every SDK's conformance suite shares: the emulators its program talks to, and one jest test per
 * test of the program, read from what the program reported.
 */
import { EMULATOR_IDS, startEmulator, type Emulator } from '../../src/emulator';
import type { Exists } from './go-toolchain';
import { parseResults, run, type TestReport } from './subprocess';

/** What a finished SDK test program reported, in one shape for every language. */
export interface SdkOutcome {
  code: number;
  stderr: string;
  /** Final status of each test: pass, fail or skip. */
  status: ReadonlyMap<string, string>;
  /** Everything each test printed. */
  output: ReadonlyMap<string, string>;
  /** Output not tied to a test (crashes, build errors, stray prints). */
  other: string;
}

export interface EmulatorOptions {
  /** How long each create, modify and delete stays in its transitional status. */
  transitionMs: number;
  /** How long ModifyFlowLogAttribute stays Modifying (the emulator's default when unset). */
  modifyAttributeMs?: number;
  /** The throttled emulator's budget: this many tokens a second, bursts of 2. */
  throttledRate: number;
  /** A third, unthrottled emulator the program injects faults into. */
  faults: boolean;
}

const endpoint = (e: Emulator) => ({ host: e.host, accessKeyId: e.accessKeyId, accessKeySecret: e.accessKeySecret });

/**
 * Starts the emulators and returns the part of CONFORMANCE_CONFIG that names them. Each one goes into `opened` as
 * soon as it listens, so that the caller's afterAll closes them even when a later one fails to start.
 */
export async function startEmulators(opened: Emulator[], opts: EmulatorOptions): Promise<Record<string, unknown>> {
  const start = async (...args: Parameters<typeof startEmulator>): Promise<Emulator> => {
    const e = await startEmulator(...args);
    opened.push(e);
    return e;
  };
  const delays = {
    createMs: opts.transitionMs,
    modifyMs: opts.transitionMs,
    deleteMs: opts.transitionMs,
    ...(opts.modifyAttributeMs === undefined ? {} : { modifyAttributeMs: opts.modifyAttributeMs }),
  };
  const main = await start({ delays, ratePerSecond: 0 });
  const throttled = await start({ ratePerSecond: opts.throttledRate, burst: 2 });
  const faults = opts.faults ? await start({ ratePerSecond: 0 }) : undefined;
  return {
    main: endpoint(main),
    throttled: endpoint(throttled),
    ...(faults ? { faults: endpoint(faults) } : {}),
    ids: EMULATOR_IDS,
    throttledRate: opts.throttledRate,
  };
}

export interface ProgramTests {
  /** The first test's title, e.g. `runs Conformance.java to the end (exit 0)`. */
  runsToTheEnd: string;
  /** The program as failures name it: `java exited with 1`. */
  command: string;
  /** Names the list in the last test's title: `every Java test it ran…`. */
  language: string;
  /** Every test the program runs, with what it proves. */
  tests: Array<[string, string]>;
  /** Further checks of a run that exited 0. */
  alsoWhenItExits?: (outcome: SdkOutcome) => void;
}

/** One jest test that the program exited 0, one per test of the program, and one that the list is complete. */
export function itPassesEveryTest(p: ProgramTests, outcome: () => SdkOutcome): void {
  const report = (name?: string): string => {
    const o = outcome();
    const own = name ? (o.output.get(name) ?? `(${name} printed nothing: did it run?)`) : '';
    return [own, o.other, o.stderr].filter(Boolean).join('\n').slice(-20_000);
  };

  it(p.runsToTheEnd, () => {
    const o = outcome();
    if (o.code !== 0) throw new Error(`${p.command} exited with ${o.code}:\n${report()}`);
    p.alsoWhenItExits?.(o);
  });

  it.each(p.tests)('%s passes: %s', (name) => {
    const status = outcome().status.get(name) ?? 'did not run';
    if (status !== 'pass') throw new Error(`${name}: ${status}\n${report(name)}`);
  });

  it(`every ${p.language} test it ran is in the list above (none is left unreported)`, () => {
    expect([...outcome().status.keys()].sort()).toEqual(p.tests.map(([name]) => name).sort());
  });
}

/** Long enough to see each transitional status between two polls. */
const TRANSITION_MS = 300;
const THROTTLED_RATE = 2;
const RUN_TIMEOUT_MS = 3 * 60_000;

export interface SdkProgram extends ProgramTests {
  /** Builds what the program needs (a venv, a classpath) once, before any emulator starts. */
  prepare: () => Promise<{
    file: string;
    args: string[];
    cwd: string;
    /** Added to the environment the program runs in. */
    env?: NodeJS.ProcessEnv;
    /** Added to CONFORMANCE_CONFIG: what the program checks it runs against. */
    config: Record<string, unknown>;
  }>;
  prepareTimeoutMs: number;
}

function outcomeOf(code: number, stderr: string, parsed: TestReport): SdkOutcome {
  const results = [...parsed.results.values()];
  return {
    code,
    stderr,
    status: new Map(results.map((r) => [r.test, r.status])),
    output: new Map(results.map((r) => [r.test, r.output])),
    other: parsed.other,
  };
}

/**
 * A suite for a program that prints one JSON line `{test, status, output}` per test: it starts the emulators
 * in-process, runs the program against them once and reports each of its tests as a jest test.
 */
export function describeSdkProgram(title: string, p: SdkProgram): void {
  describe(title, () => {
    const opened: Emulator[] = [];
    let outcome: SdkOutcome;

    beforeAll(
      async () => {
        const program = await p.prepare();
        const emulators = await startEmulators(opened, { transitionMs: TRANSITION_MS, throttledRate: THROTTLED_RATE, faults: true });
        const config = { ...emulators, ...program.config };
        const done = await run(program.file, program.args, {
          cwd: program.cwd,
          env: { ...process.env, CONFORMANCE_CONFIG: JSON.stringify(config), ...program.env },
          timeoutMs: RUN_TIMEOUT_MS,
        });
        outcome = outcomeOf(done.code, done.stderr, parseResults(done.stdout));
      },
      p.prepareTimeoutMs + RUN_TIMEOUT_MS + 30_000,
    );

    afterAll(async () => {
      for (const e of opened) await e.close();
    });

    itPassesEveryTest(p, () => outcome);
  });
}

/** For the tool-finding tests: a file system on which only these files exist (and are executable). */
export const existsOnly =
  (...files: string[]): Exists =>
  (file) =>
    files.includes(file);
