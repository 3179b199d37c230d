/**
 * Alibaba's own generated Go SDK for Cbn 2017-09-12 (github.com/alibabacloud-go/cbn-20170912/v2
 * on darabonba-openapi/v2) against the emulator: every action, both signature algorithms,
 * GET and form bodies, error decoding, throttling, and each answer decoded strictly into the
 * SDK's own structs. This file starts the emulators in-process and runs `go test` in
 * test/conformance; without Go it fails, saying how to install it.
 */
import { execFile } from 'node:child_process';
import { EMULATOR_IDS, startEmulator, type Emulator, type EmulatorDelays } from '../../src/emulator';
import { findGo, GO_INSTALL_HELP, parseGoTestJson, type Exists, type GoTestResult } from './go-toolchain';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

/** Long enough to see each transitional status between two polls. */
const TRANSITION_MS = 500;
/** The throttled emulator's budget: a token every 500 ms, bursts of 2. */
const THROTTLED_RATE = 2;
/** A cold build of the SDK takes a minute or two on a 2-core machine. */
const GO_TIMEOUT_MS = 9 * 60_000;

/** Every top-level Go test, with what it proves. */
const GO_TESTS: Array<[string, string]> = [
  ['TestStrictDecodingRefusesWhatTheModelDoesNotSay', 'the strict decoding refuses unknown fields, wrong types, other cases'],
  ['TestEveryActionDecodesStrictly', 'all nine actions, v3 and v2 signatures, generated methods, GET and form bodies'],
  ['TestErrorsDecodeAsSDKErrors', 'service errors reach SDK users as *tea.SDKError with Code, StatusCode and RequestId'],
  ['TestErrorsWithoutSDKErrorWrapping', "the SDK's ClientError (4xx) and ServerError (5xx) carry the RequestId"],
  ['TestThrottling', "Throttling.User, the x-ratelimit-user(-api) TimeLeft headers, and the SDK's retry honouring them"],
  [
    'TestModifyFlowLogAttributeIsAsynchronous',
    'Modifying after ModifyFlowLogAttribute; other writes meanwhile get IncorrectStatus.flowlog',
  ],
  ['TestPerCallLimits', 'at most 20 ResourceId and 20 Tag filters per call, as the SDK models say'],
  ['TestTagActionsAreScopedByRegion', 'RegionId scopes the Flowlog resources of the tag actions'],
  ['TestTagKeysNamedLikeObjectMembers', 'tag keys such as constructor and __proto__ behave like any other'],
];

interface GoRun {
  code: number;
  stdout: string;
  stderr: string;
  result: GoTestResult;
}

function goTest(goBin: string, config: unknown): Promise<GoRun> {
  return new Promise((resolve) => {
    // Asynchronous on purpose: the emulators live in this process and must keep serving.
    // -parallel: the parallel tests wait on status transitions, not on the CPU (the default is GOMAXPROCS).
    execFile(
      goBin,
      ['test', '-count=1', '-json', '-parallel', '8', '-timeout', '4m', './...'],
      {
        cwd: __dirname,
        env: { ...process.env, CONFORMANCE_CONFIG: JSON.stringify(config) },
        maxBuffer: 256 * 1024 * 1024,
        timeout: GO_TIMEOUT_MS,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, result: parseGoTestJson(stdout) });
      },
    );
  });
}

function report(run: GoRun, name?: string): string {
  const own = name ? (run.result.output.get(name) ?? `(${name} printed nothing: did it run?)`) : '';
  return [own, run.result.other, run.stderr].filter(Boolean).join('\n').slice(-20_000);
}

describe("Alibaba's Go SDK against the emulator", () => {
  let main: Emulator | undefined;
  let throttled: Emulator | undefined;
  let run: GoRun;

  beforeAll(async () => {
    const goBin = findGo(process.env);
    const delays: EmulatorDelays = {
      createMs: TRANSITION_MS,
      modifyMs: TRANSITION_MS,
      deleteMs: TRANSITION_MS,
      // Long enough for the four refused writes of the Modifying-window test.
      modifyAttributeMs: 2 * TRANSITION_MS,
    };
    main = await startEmulator({ delays, ratePerSecond: 0 });
    throttled = await startEmulator({ ratePerSecond: THROTTLED_RATE, burst: 2 });
    const endpoint = (e: Emulator) => ({ host: e.host, accessKeyId: e.accessKeyId, accessKeySecret: e.accessKeySecret });
    run = await goTest(goBin, {
      main: endpoint(main),
      throttled: endpoint(throttled),
      ids: EMULATOR_IDS,
      transitionMs: 2 * TRANSITION_MS,
      throttledRate: THROTTLED_RATE,
    });
  }, GO_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await main?.close();
    await throttled?.close();
  });

  it('builds and runs the Go module to the end (go test exits 0)', () => {
    if (run.code !== 0) throw new Error(`go test exited with ${run.code}:\n${report(run)}`);
    expect(run.result.other).toMatch(/^ok\s+cen-flowlog\/test\/conformance/m);
  });

  it.each(GO_TESTS)('%s passes: %s', (name) => {
    const status = run.result.status.get(name) ?? 'did not run';
    if (status !== 'pass') throw new Error(`${name}: ${status}\n${report(run, name)}`);
  });

  it('every Go test it ran is in the list above (none is left unreported)', () => {
    expect([...run.result.status.keys()].sort()).toEqual(GO_TESTS.map(([name]) => name).sort());
  });
});

describe('finding Go', () => {
  const only =
    (...files: string[]): Exists =>
    (file) =>
      files.includes(file);

  it.each([
    ['GO when set', { GO: '/opt/go/bin/go', PATH: '/usr/bin' }, only('/opt/go/bin/go', '/usr/bin/go'), '/opt/go/bin/go'],
    ['the first go on PATH', { PATH: '/a:/b' }, only('/b/go', '/usr/local/go/bin/go'), '/b/go'],
    ['$GOROOT/bin/go', { PATH: '/a', GOROOT: '/opt/go' }, only('/opt/go/bin/go'), '/opt/go/bin/go'],
    ['/usr/local/go/bin/go when PATH lacks it', { PATH: '/usr/bin' }, only('/usr/local/go/bin/go'), '/usr/local/go/bin/go'],
  ])('finds %s', (_what, env, exists, want) => {
    expect(findGo(env, exists)).toBe(want);
  });

  it.each([
    ['no Go anywhere', { PATH: '/usr/bin' }, /Go was not found/],
    ['GO naming a missing file', { GO: '/nope/go', PATH: '/usr/bin' }, /GO is set to \/nope\/go/],
  ])('fails with how to install Go when there is %s', (_what, env, why) => {
    const err = (() => {
      try {
        findGo(env, only('/usr/bin/go-not-this'));
      } catch (e) {
        return e as Error;
      }
      throw new Error('findGo found a Go that does not exist');
    })();
    expect(err.message).toMatch(why);
    expect(err.message).toContain(GO_INSTALL_HELP);
    expect(err.message).toContain('https://go.dev/doc/install');
  });
});
