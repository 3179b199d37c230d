/**
 * One jest run, five projects (`npx jest --selectProjects unit` runs one):
 *  - unit, emulator, integration: pure logic, the emulator's wire behaviour, the real client against the emulator;
 *  - conformance: Alibaba's Go, Python and Java SDKs against the emulator (needs Go, Python 3 and a JDK with Maven; builds once);
 *  - e2e: the Pulumi CLI and the dynamic-provider plugin against the emulator (needs `npm run build` and the CLI).
 * `npm test` runs them all on three workers (`maxWorkers` below). Every suite starts its own emulator on port 0, and every e2e suite
 * its own file backend and work folders (test/e2e/harness.ts), so any two suites, e2e ones included, can run
 * side by side.
 */

/** Shared by every project: ts-jest transpiles (tsconfig.test.json; `npm run typecheck` is the type check). */
const common = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
};

const project = (name) => ({ ...common, displayName: name, roots: [`<rootDir>/test/${name}`] });

/** @type {import('jest').Config} */
module.exports = {
  projects: ['unit', 'emulator', 'integration', 'conformance', 'e2e'].map(project),
  testTimeout: 60000,
  // Three workers on the 2-core machines this runs on: the e2e suites keep the CPU busy (the CLI, the plugin and
  // the language host), while the conformance and integration suites mostly wait on the emulator's status
  // transitions, so a third worker fills those waits. Measured on 2 cores: 2 workers 120 s, 3 workers 97 s,
  // 4 workers 104 s (the e2e suites then slow each other down). `--maxWorkers` on the command line overrides it.
  maxWorkers: 3,
};
