import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { resolveCredentials } from '../../src/transport/credentials';
import { CenApiError } from '../../src/errors';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const VARS = [
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALIBABA_CLOUD_PROFILE',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_CREDENTIALS_URI',
  'ALIBABA_CLOUD_ECS_METADATA',
  'ALIBABA_CLOUD_CLI_PROFILE_DISABLED',
];
let saved: Record<string, string | undefined>;
let home: string;

beforeEach(() => {
  saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  for (const k of VARS) delete process.env[k];
  home = mkdtempSync(join(os.tmpdir(), 'cen-cred-'));
  // jest's process.env is a copy the native os.homedir() never sees.
  jest.spyOn(os, 'homedir').mockReturnValue(home);
});

afterEach(() => {
  jest.restoreAllMocks();
  for (const k of VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function writeIni(text: string): void {
  mkdirSync(join(home, '.alibabacloud'), { recursive: true });
  writeFileSync(join(home, '.alibabacloud', 'credentials'), text);
}

describe('resolveCredentials', () => {
  it('uses explicit keys from the stack config over the environment', async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'env-id';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'env-secret';
    const c = await resolveCredentials({ accessKey: 'cfg-id', secretKey: 'cfg-secret', securityToken: 'tok' }).getCredential();
    expect(c).toEqual({ accessKeyId: 'cfg-id', accessKeySecret: 'cfg-secret', securityToken: 'tok' });
  });

  it('refuses half a key pair', () => {
    expect(() => resolveCredentials({ accessKey: 'id' })).toThrow(/both `alicloud:accessKey` and `alicloud:secretKey`/);
    expect(() => resolveCredentials({ secretKey: 's' })).toThrow(/got only secretKey/);
  });

  it('falls back to the environment through the default chain', async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'env-id';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'env-secret';
    await expect(resolveCredentials({}).getCredential()).resolves.toEqual({
      accessKeyId: 'env-id',
      accessKeySecret: 'env-secret',
      securityToken: undefined,
    });
  });

  it('reads a named profile without touching ALIBABA_CLOUD_PROFILE', async () => {
    writeIni(
      '[default]\ntype = access_key\naccess_key_id = d-id\naccess_key_secret = d-secret\n\n[work]\ntype = access_key\naccess_key_id = w-id\naccess_key_secret = w-secret\n',
    );
    await expect(resolveCredentials({ profile: 'work' }).getCredential()).resolves.toMatchObject({
      accessKeyId: 'w-id',
      accessKeySecret: 'w-secret',
    });
    expect(process.env.ALIBABA_CLOUD_PROFILE).toBeUndefined();
  });

  it('prefers the aliyun CLI profile of that name', async () => {
    mkdirSync(join(home, '.aliyun'));
    writeFileSync(
      join(home, '.aliyun', 'config.json'),
      JSON.stringify({
        current: 'other',
        profiles: [
          { name: 'other', mode: 'AK', access_key_id: 'o-id', access_key_secret: 'o-secret' },
          { name: 'work', mode: 'AK', access_key_id: 'cli-id', access_key_secret: 'cli-secret' },
        ],
      }),
    );
    await expect(resolveCredentials({ profile: 'work' }).getCredential()).resolves.toMatchObject({ accessKeyId: 'cli-id' });
  });

  it('says what was tried and how to set credentials when none are found', async () => {
    const err = await resolveCredentials({})
      .getCredential()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CenApiError);
    const e = err as CenApiError;
    expect(e.code).toBe('CredentialsNotFound');
    expect(e.message).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
    expect(e.message).toContain('alicloud:accessKey');
    expect(e.message).toContain('ECS RAM role');
  });

  it('names a missing profile', async () => {
    const err = await resolveCredentials({ profile: 'nope' })
      .getCredential()
      .catch((e: unknown) => e as CenApiError);
    expect(err).toMatchObject({ code: 'CredentialsNotFound' });
    expect((err as Error).message).toContain('profile "nope"');
  });

  it('finds credentials set after an earlier failure', async () => {
    const provider = resolveCredentials({});
    await expect(provider.getCredential()).rejects.toMatchObject({ code: 'CredentialsNotFound' });
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'late-id';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'late-secret';
    await expect(provider.getCredential()).resolves.toMatchObject({ accessKeyId: 'late-id' });
  });

  it('never prints or serialises the secret', () => {
    const provider = resolveCredentials({ accessKey: 'AKID', secretKey: 'SUPERSECRET', securityToken: 'TOKEN' });
    for (const text of [
      JSON.stringify(provider),
      String(provider),
      inspect(provider, { showHidden: true, depth: 5 }),
      JSON.stringify({ provider }),
    ]) {
      expect(text).not.toContain('SUPERSECRET');
      expect(text).not.toContain('TOKEN');
      expect(text).not.toContain('AKID');
    }
    expect(Object.keys(provider)).not.toContain('accessKeySecret');
  });
});
