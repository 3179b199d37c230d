/**
 * The provider text stored in every resource's state: small, bare package
 * names only, no file path, no secret. Serializes the built package (dist/),
 * which is what a user's program stores.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';

const SIZE_BOUND = 4096;

describe('the serialized provider', () => {
  const secret = 'super-secret-value-that-must-not-leak';
  let text: string;

  beforeAll(async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = secret;
    process.env.ALICLOUD_SECRET_KEY = secret;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, as the engine loads it
    const { cenFlowlogProvider } = require(path.resolve(__dirname, '../../dist/index.js'));
    const serialized = await pulumi.runtime.serializeFunction(() => cenFlowlogProvider, { allowSecrets: false });
    text = serialized.text;
  });

  it(`is under ${SIZE_BOUND} bytes`, () => {
    expect(Buffer.byteLength(text)).toBeLessThan(SIZE_BOUND);
  });

  it('reaches the implementation by the bare package name at call time', () => {
    expect(text).toMatch(/require\(['"]cen-flowlog['"]\)/);
    expect(text).not.toMatch(/node_modules|\/work\/|dist\//);
  });

  it('holds no credential', () => {
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/accessKey|secretKey|securityToken/i);
  });

  it('deserializes into a provider whose methods reach the installed package', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped package of @pulumi/pulumi's, not our dependency
    const requireFromString = require('require-from-string');
    const provider = requireFromString(text).handler();
    const { failures } = await provider.check(
      {},
      { cenId: 'cen-1', transitRouterId: 'tr-1', projectName: 'p', logStoreName: 'sss', regionId: 'cn-hangzhou' },
    );
    expect(failures).toEqual([{ property: 'projectName', reason: expect.stringContaining('3 to 63') }]);
  });
});
