/**
 * The Java side of the conformance test: the Maven project in test/conformance/java, compiled with
 * `mvn` (its dependencies from Maven Central into ~/.m2 on the first run) and run with `java`. It is
 * rebuilt only when pom.xml or the source changes. Without Maven, a JDK or Maven Central it fails, saying what is missing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isExecutable, type Exists } from './go-toolchain';
import { run } from './subprocess';

export const JAVA_DIR = path.join(__dirname, 'java');
const SOURCE = path.join(JAVA_DIR, 'src', 'main', 'java', 'conformance', 'Conformance.java');
const CLASSPATH = path.join(JAVA_DIR, 'target', 'classpath.txt');
const STAMP = path.join(JAVA_DIR, 'target', 'build.sha256');

export const JAVA_INSTALL_HELP = [
  "The Java conformance test (test/conformance/java) runs Alibaba's Java runtime (com.aliyun:tea-openapi) against the",
  'emulator and needs a JDK 11 or later and Maven 3, and Maven Central (or a mirror in ~/.m2/settings.xml) on the first run.',
  'On Debian or Ubuntu: sudo apt-get install default-jdk-headless maven; or point MVN and JAVA at the binaries.',
].join('\n');

/** `$NAME` when set (it must exist), else the first `binary` on PATH, else `$JAVA_HOME/bin/binary`. */
export function findTool(env: NodeJS.ProcessEnv, name: 'MVN' | 'JAVA', binary: string, exists: Exists = isExecutable): string {
  const set = env[name];
  if (set) {
    if (exists(set)) return set;
    throw new Error(`${name} is set to ${set}, which is not an executable file.\n${JAVA_INSTALL_HELP}`);
  }
  const found = [
    ...(env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, binary)),
    ...(env.JAVA_HOME ? [path.join(env.JAVA_HOME, 'bin', binary)] : []),
  ].find(exists);
  if (found) return found;
  throw new Error(`${binary} was not found on PATH or in $JAVA_HOME/bin.\n${JAVA_INSTALL_HELP}`);
}

/** The version of a dependency the pom names, e.g. com.aliyun:tea-openapi. */
export function pomVersion(pom: string, groupId: string, artifactId: string): string {
  const dep = new RegExp(
    `<dependency>\\s*<groupId>${groupId.replace(/\./g, '\\.')}</groupId>\\s*<artifactId>${artifactId}</artifactId>\\s*<version>([^<]+)</version>`,
  ).exec(pom);
  if (!dep) throw new Error(`pom.xml names no version of ${groupId}:${artifactId}`);
  return dep[1]!.trim();
}

/** Compiles the project when it changed; returns the classpath to run it with. */
export async function builtClasspath(mvn: string, timeoutMs: number): Promise<string> {
  const hash = createHash('sha256')
    .update(readFileSync(path.join(JAVA_DIR, 'pom.xml')))
    .update(readFileSync(SOURCE))
    .digest('hex');
  if (!(existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash && existsSync(CLASSPATH))) {
    const built = await run(mvn, ['-q', '-B', 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${CLASSPATH}`], {
      cwd: JAVA_DIR,
      timeoutMs,
    });
    if (built.code !== 0) {
      throw new Error(
        `mvn could not build test/conformance/java (exit ${built.code}); is Maven Central reachable?\n` +
          `${built.stdout.slice(-6000)}\n${built.stderr.slice(-4000)}\n${JAVA_INSTALL_HELP}`,
      );
    }
    writeFileSync(STAMP, hash);
  }
  return [path.join(JAVA_DIR, 'target', 'classes'), readFileSync(CLASSPATH, 'utf8').trim()].join(path.delimiter);
}
