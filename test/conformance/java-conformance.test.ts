/**
 * Alibaba's Java runtime against the emulator: the newest com.aliyun:tea-openapi on Maven Central
 * (its version in java/pom.xml), driving the Cbn actions through the generic Client.callApi as the
 * generated clients do; Maven Central serves no com.aliyun:cbn20170912 jar. The lifecycle, tags, every
 * error answer as a TeaException, throttling, and strict checks of every answer against the models'
 * wire types. This file starts the emulators in-process, builds the Maven project (java-toolchain.ts)
 * and runs it; without Maven, a JDK or Maven Central it fails, saying what is missing.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { builtClasspath, findTool, JAVA_DIR, JAVA_INSTALL_HELP, pomVersion } from './java-toolchain';
import { describeSdkProgram, existsOnly } from './suite';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

/** A cold Maven build downloads its plugins and the runtime once (into ~/.m2). */
const MVN_TIMEOUT_MS = 6 * 60_000;

describeSdkProgram("Alibaba's Java runtime against the emulator", {
  runsToTheEnd: 'runs Conformance.java to the end (exit 0)',
  command: 'java',
  language: 'Java',
  /** Every test of Conformance.java, with what it proves. */
  tests: [
    ['strictDecodingRefusesWhatTheModelDoesNotSay', 'the strict check refuses unknown, missing, null and mistyped fields'],
    ['lifecycleWithV3Signatures', 'create, describe, modify, deactive, active, delete; every answer strictly checked (ACS3)'],
    ['lifecycleWithV2Signatures', 'the same lifecycle with HMAC-SHA1 signatures'],
    ['tagsIncludingUntagAll', 'TagResources, ListTagResources, UntagResources by key and with All=true'],
    ['errorsDecodeAsTeaExceptions', 'TeaException with the code, the status and the request id'],
    ['throttlingIsAThrottlingUserTeaExceptionAndTheHeadersNameTheWait', 'Throttling.User; x-acs-retry-after and TimeLeft agree'],
    ['runsTheRuntimeItWasBuiltWith', 'the classpath holds the tea-openapi jar pom.xml names'],
  ],
  prepareTimeoutMs: MVN_TIMEOUT_MS,
  prepare: async () => {
    const classpath = await builtClasspath(findTool(process.env, 'MVN', 'mvn'), MVN_TIMEOUT_MS);
    return {
      file: findTool(process.env, 'JAVA', 'java'),
      args: ['-cp', classpath, 'conformance.Conformance'],
      cwd: JAVA_DIR,
      config: { teaOpenapi: pomVersion(readFileSync(path.join(JAVA_DIR, 'pom.xml'), 'utf8'), 'com.aliyun', 'tea-openapi') },
    };
  },
});

describe('finding Maven and Java, and reading pom.xml', () => {
  it.each([
    [
      'MVN when set',
      'MVN',
      'mvn',
      { MVN: '/opt/mvn/bin/mvn', PATH: '/usr/bin' },
      existsOnly('/opt/mvn/bin/mvn', '/usr/bin/mvn'),
      '/opt/mvn/bin/mvn',
    ],
    ['the first java on PATH', 'JAVA', 'java', { PATH: '/a:/b' }, existsOnly('/b/java'), '/b/java'],
    ['$JAVA_HOME/bin/java', 'JAVA', 'java', { PATH: '/a', JAVA_HOME: '/jdk' }, existsOnly('/jdk/bin/java'), '/jdk/bin/java'],
  ] as const)('finds %s', (_what, name, binary, env, exists, want) => {
    expect(findTool(env, name, binary, exists)).toBe(want);
  });

  it.each([
    ['no mvn anywhere', 'MVN', 'mvn', { PATH: '/usr/bin' }, /mvn was not found/],
    ['JAVA naming a missing file', 'JAVA', 'java', { JAVA: '/nope/java', PATH: '/usr/bin' }, /JAVA is set to \/nope\/java/],
  ] as const)('fails with what to install when there is %s', (_what, name, binary, env, why) => {
    expect(() => findTool(env, name, binary, existsOnly())).toThrow(why);
    expect(() => findTool(env, name, binary, existsOnly())).toThrow(JAVA_INSTALL_HELP);
  });

  it('reads the version of a dependency from pom.xml', () => {
    const pom =
      '<dependency>\n <groupId>com.aliyun</groupId>\n <artifactId>tea-openapi</artifactId>\n <version>0.3.15</version>\n</dependency>';
    expect(pomVersion(pom, 'com.aliyun', 'tea-openapi')).toBe('0.3.15');
    expect(() => pomVersion(pom, 'com.aliyun', 'cbn20170912')).toThrow(/names no version of com.aliyun:cbn20170912/);
  });
});
