/**
 * The YAML program (yaml/Pulumi.yaml) through the pinned CLI, the YAML host built by scripts/get-language-hosts.sh
 * (pulumi-yaml v1.30.0) and the plugin. YAML needs no SDK: the schema is all the host reads.
 */
import * as path from 'node:path';
import { requireHost } from './toolchain';
import { walkThrough } from './walkthrough';

jest.setTimeout(300_000);

walkThrough('YAML', {
  programDir: path.join(__dirname, 'yaml'),
  prepare: async () => requireHost('yaml'),
  // `pulumi import` prints the declaration to paste, in YAML.
  generatedCode: /imported:\s+type: cen-flowlog:(index:)?Flowlog[\s\S]*flowLogName: made-by-hand/,
});
