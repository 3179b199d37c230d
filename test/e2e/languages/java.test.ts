/**
 * The Java program (java/, a Maven project) through the pinned CLI, the Java host built by
 * scripts/get-language-hosts.sh (pulumi-java v1.16.0; the CLI finds it on PATH, which the harness puts the CLI's
 * folder first on), com.pulumi:pulumi 1.36.1 from Maven Central, the SDK generated from schema.json
 * (scripts/gen-sdk.sh java, through the CLI and that host) and the plugin. The host runs `mvn compile exec:java`
 * twice per operation (the program, and the plugins it needs), so this is the slowest language.
 */
import * as path from 'node:path';
import { generateSdk, requireHost } from './toolchain';
import { walkThrough } from './walkthrough';

jest.setTimeout(600_000);

walkThrough('Java', {
  programDir: path.join(__dirname, 'java'),
  prepare: async () => {
    requireHost('java');
    await generateSdk('java');
  },
});
