/**
 * The Python program (python/__main__.py) through the pinned CLI, the Python host built by
 * scripts/get-language-hosts.sh (sdk/v3 v3.68.0), PyPI's `pulumi` at the CLI's version in a venv (.langs/python),
 * the SDK generated from schema.json (scripts/gen-sdk.sh python, pip-installed into the venv) and the plugin.
 */
import * as path from 'node:path';
import { VENV_PYTHON, preparePython, requireHost } from './toolchain';
import { walkThrough } from './walkthrough';

jest.setTimeout(300_000);

walkThrough('Python', {
  programDir: path.join(__dirname, 'python'),
  prepare: async () => {
    requireHost('python');
    await preparePython();
  },
  // The v3.68 host never reads Pulumi.yaml's `virtualenv`; this is how it finds the venv.
  env: { PULUMI_PYTHON_CMD: VENV_PYTHON },
});
