/**
 * The Go program (go/main.go) through the pinned CLI, the Go host built by scripts/get-language-hosts.sh
 * (sdk/v3 v3.62.0), the SDK generated from schema.json (scripts/gen-sdk.sh go, replaced into go/go.mod) on
 * sdk/v3 v3.248.0, and the plugin. The host compiles the program on the first operation (minutes on a cold
 * build cache, seconds after).
 */
import * as path from 'node:path';
import { generateSdk, requireHost } from './toolchain';
import { walkThrough } from './walkthrough';

jest.setTimeout(600_000);

walkThrough('Go', {
  programDir: path.join(__dirname, 'go'),
  prepare: async () => {
    requireHost('go');
    await generateSdk('go');
  },
  // The committed go.sum is the whole truth: the build never reaches for a module it does not name.
  env: { GOFLAGS: '-mod=readonly' },
});
