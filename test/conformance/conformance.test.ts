/**
 * Alibaba's own generated Go SDK for Cbn 2017-09-12 (github.com/alibabacloud-go/cbn-20170912/v2
 * on darabonba-openapi/v2, built twice: go.mod pins the runtime the SDK was released on, go.newest.mod
 * the newest one the Go module proxy serves) against the emulator: every action, both signature algorithms,
 * GET and form bodies, error decoding, throttling, and each answer decoded strictly into the
 * SDK's own structs. This file starts the emulators in-process and runs `go test` in
 * test/conformance; without Go it fails, saying how to install it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Emulator } from '../../src/emulator';
import { findGo, GO_INSTALL_HELP, parseGoTestJson, type GoTestResult } from './go-toolchain';
import { existsOnly, itPassesEveryTest, startEmulators } from './suite';

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
  [
    'TestThrottling',
    "Throttling.User as the SDK's ThrottlingError, x-acs-retry-after equal to the x-ratelimit-user(-api) TimeLeft, and the SDK's retry honouring it",
  ],
  [
    'TestModifyFlowLogAttributeIsAsynchronous',
    'Modifying after ModifyFlowLogAttribute; other writes meanwhile get IncorrectStatus.flowlog',
  ],
  ['TestPerCallLimits', 'at most 20 ResourceId and 20 Tag filters per call, as the SDK models say'],
  ['TestTagActionsAreScopedByRegion', 'RegionId scopes the Flowlog resources of the tag actions'],
  ['TestTagKeysNamedLikeObjectMembers', 'tag keys such as constructor and __proto__ behave like any other'],
  ['TestLinksTheModuleVersionsItWasBuiltFor', 'the build linked the cbn and darabonba-openapi versions its module file requires'],
];

interface GoRun {
  code: number;
  stdout: string;
  stderr: string;
  result: GoTestResult;
}

/**
 * Two builds of the same Go tests: the runtime cbn v2.4.0 was released on, and the newest
 * darabonba-openapi v2 the Go module proxy serves. Each module file is the one place its versions are written.
 */
const BUILDS = [
  { name: 'darabonba-openapi as pinned', modfile: 'go.mod' },
  { name: 'the newest darabonba-openapi', modfile: 'go.newest.mod' },
] as const;
const CHECKED_MODULES = ['github.com/alibabacloud-go/cbn-20170912/v2', 'github.com/alibabacloud-go/darabonba-openapi/v2'];

/** The versions a module file requires of the SDK modules, for the build to check it linked them. */
export function requiredVersions(modText: string, modules: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of modules) {
    const found = new RegExp(`^\\s*(?:require\\s+)?${m.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm').exec(modText);
    if (!found) throw new Error(`the module file does not require ${m}`);
    out[m] = found[1]!;
  }
  return out;
}

function goTest(goBin: string, modfile: string, config: unknown): Promise<GoRun> {
  return new Promise((resolve) => {
    // Asynchronous on purpose: the emulators live in this process and must keep serving.
    // -parallel: the parallel tests wait on status transitions, not on the CPU (the default is GOMAXPROCS).
    execFile(
      goBin,
      ['test', `-modfile=${modfile}`, '-count=1', '-json', '-parallel', '8', '-timeout', '4m', './...'],
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

const emulators: Emulator[] = [];
const runs = new Map<string, { modules: Record<string, string>; run: GoRun }>();

/** Each build gets its own pair of emulators: the tests create flow logs on fixed transit routers. */
async function runBuild(goBin: string, modfile: string): Promise<{ modules: Record<string, string>; run: GoRun }> {
  const config = await startEmulators(emulators, {
    transitionMs: TRANSITION_MS,
    // Long enough for the four refused writes of the Modifying-window test.
    modifyAttributeMs: 2 * TRANSITION_MS,
    throttledRate: THROTTLED_RATE,
    faults: false,
  });
  const modules = requiredVersions(readFileSync(path.join(__dirname, modfile), 'utf8'), CHECKED_MODULES);
  const run = await goTest(goBin, modfile, { ...config, transitionMs: 2 * TRANSITION_MS, modules });
  return { modules, run };
}

beforeAll(async () => {
  const goBin = findGo(process.env);
  // Both builds at once: they mostly wait on the emulators' status transitions.
  const done = await Promise.all(BUILDS.map((b) => runBuild(goBin, b.modfile)));
  BUILDS.forEach((b, i) => runs.set(b.modfile, done[i]!));
}, GO_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

describe.each(BUILDS)("Alibaba's Go SDK against the emulator, on $name ($modfile)", ({ modfile }) => {
  const run = (): GoRun => runs.get(modfile)!.run;

  itPassesEveryTest(
    {
      runsToTheEnd: 'builds and runs the Go module to the end (go test exits 0)',
      command: 'go test',
      language: 'Go',
      tests: GO_TESTS,
      alsoWhenItExits: (o) => expect(o.other).toMatch(/^ok\s+cen-flowlog\/test\/conformance/m),
    },
    () => {
      const { code, stderr, result } = run();
      return { code, stderr, ...result };
    },
  );
});

describe('the two Go builds', () => {
  it('link different darabonba-openapi releases, the newer one in go.newest.mod', () => {
    const openapi = BUILDS.map((b) => runs.get(b.modfile)!.modules['github.com/alibabacloud-go/darabonba-openapi/v2']!);
    expect(openapi[0]).not.toBe(openapi[1]);
    const order = (v: string) => v.slice(1).split('.').map(Number);
    const [a, b] = openapi.map(order);
    expect(a![0]! * 1e6 + a![1]! * 1e3 + a![2]!).toBeLessThan(b![0]! * 1e6 + b![1]! * 1e3 + b![2]!);
  });

  it.each([
    ['a require block line', '\tgithub.com/x/y/v2 v2.1.16 // indirect\n', 'v2.1.16'],
    ['a single require', 'require github.com/x/y/v2 v2.0.1\n', 'v2.0.1'],
  ])('reads the version from %s', (_what, text, want) => {
    expect(requiredVersions(text, ['github.com/x/y/v2'])).toEqual({ 'github.com/x/y/v2': want });
  });
});

describe('finding Go', () => {
  it.each([
    ['GO when set', { GO: '/opt/go/bin/go', PATH: '/usr/bin' }, existsOnly('/opt/go/bin/go', '/usr/bin/go'), '/opt/go/bin/go'],
    ['the first go on PATH', { PATH: '/a:/b' }, existsOnly('/b/go', '/usr/local/go/bin/go'), '/b/go'],
    ['$GOROOT/bin/go', { PATH: '/a', GOROOT: '/opt/go' }, existsOnly('/opt/go/bin/go'), '/opt/go/bin/go'],
    ['/usr/local/go/bin/go when PATH lacks it', { PATH: '/usr/bin' }, existsOnly('/usr/local/go/bin/go'), '/usr/local/go/bin/go'],
  ])('finds %s', (_what, env, exists, want) => {
    expect(findGo(env, exists)).toBe(want);
  });

  it.each([
    ['no Go anywhere', { PATH: '/usr/bin' }, /Go was not found/],
    ['GO naming a missing file', { GO: '/nope/go', PATH: '/usr/bin' }, /GO is set to \/nope\/go/],
  ])('fails with how to install Go when there is %s', (_what, env, why) => {
    const err = (() => {
      try {
        findGo(env, existsOnly('/usr/bin/go-not-this'));
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
