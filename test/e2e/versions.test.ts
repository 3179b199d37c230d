/**
 * Which Pulumi this run tests: the release E2E_PULUMI_VERSION names (`.ci/e2e-newest` sets it to the newest one we
 * test), else the @pulumi/pulumi pin of package.json. The CLI first on PATH, the @pulumi/pulumi of the program,
 * the one `cen-flowlog` loads and the one the dynamic provider runs on must all be that release, or the matrix
 * tests something other than what it says.
 */
import { execFileSync } from 'node:child_process';
import { Output } from '@pulumi/pulumi';
import * as dynamic from '@pulumi/pulumi/dynamic';
import { CLI_VERSION, E2eContext, inlineStack, stackName, useSuiteContext } from './harness';

jest.setTimeout(180_000);

/** Reports, from inside the provider plugin, the @pulumi/pulumi it runs on and the one `cen-flowlog` resolves. */
const probe: dynamic.ResourceProvider = {
  async create() {
    /* eslint-disable @typescript-eslint/no-require-imports -- runs in the plugin process, resolving from there */
    const plugin = require('@pulumi/pulumi/package.json').version;
    const viaPackage = require(require.resolve('@pulumi/pulumi/package.json', { paths: [require.resolve('cen-flowlog')] })).version;
    /* eslint-enable @typescript-eslint/no-require-imports */
    return { id: 'probe', outs: { plugin, viaPackage } };
  },
};

class Probe extends dynamic.Resource {
  declare readonly plugin: Output<string>;
  declare readonly viaPackage: Output<string>;
  constructor(name: string) {
    super(probe, name, { plugin: undefined, viaPackage: undefined }, {});
  }
}

describe(`the e2e suites run on Pulumi ${CLI_VERSION}`, () => {
  let ctx: E2eContext;
  const stacks = useSuiteContext((c) => {
    ctx = c;
  });

  it('has that CLI first on PATH', () => {
    const printed = execFileSync('pulumi', ['version'], { env: { ...process.env, ...ctx.env() }, encoding: 'utf8' }).trim();
    expect(printed).toBe(`v${CLI_VERSION}`);
  });

  it('runs the program, cen-flowlog and the dynamic provider on the @pulumi/pulumi of that release', async () => {
    const stack = await inlineStack(ctx, stackName('versions'), async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const program: string = require('@pulumi/pulumi/package.json').version;
      const r = new Probe('probe');
      return { program, plugin: r.plugin, viaPackage: r.viaPackage };
    });
    stacks.push(stack);
    const { outputs } = await stack.up();
    expect({ program: outputs.program?.value, plugin: outputs.plugin?.value, viaPackage: outputs.viaPackage?.value }).toEqual({
      program: CLI_VERSION,
      plugin: CLI_VERSION,
      viaPackage: CLI_VERSION,
    });
    await stack.destroy();
  });
});
