/**
 * Where the API client gets its AccessKey from. Order: explicit keys from the
 * stack config, then a named profile, then the standard Alibaba Cloud chain
 * of `@alicloud/credentials` (env, OIDC, aliyun CLI profile, INI profile,
 * ECS RAM role, credentials URI).
 */
import { inspect } from 'node:util';
import Credential, { CLIProfileCredentialsProvider, ProfileCredentialsProvider } from '@alicloud/credentials';
import { CenApiError } from '../errors';

/** The AccessKey a request is signed with. */
export interface ResolvedCredential {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface CredentialProvider {
  getCredential(): Promise<ResolvedCredential>;
}

/** Credential settings from the stack config (`alicloud:accessKey` and friends). */
export interface CredentialSettings {
  /** `alicloud:accessKey`; used together with `secretKey`. */
  accessKey?: string;
  /** `alicloud:secretKey`. */
  secretKey?: string;
  /** `alicloud:securityToken`, for STS credentials. */
  securityToken?: string;
  /** `alicloud:profile`: a profile of `~/.aliyun/config.json` or `~/.alibabacloud/credentials`. */
  profile?: string;
}

const HOW_TO_SET =
  'Set the stack config `alicloud:accessKey` and `alicloud:secretKey` (`pulumi config set --secret alicloud:secretKey ...`), ' +
  'or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or `alicloud:profile` / ALIBABA_CLOUD_PROFILE ' +
  'for a profile of the aliyun CLI.';

/** Secrets live in a closure; nothing enumerable, printable or serialisable holds them. */
function hidden(kind: string, get: () => Promise<ResolvedCredential>): CredentialProvider {
  const text = `[CredentialProvider ${kind}]`;
  return Object.freeze({
    getCredential: get,
    toJSON: () => text,
    toString: () => text,
    [inspect.custom]: () => text,
  });
}

function chainError(tried: string, err: unknown): CenApiError {
  const detail = err instanceof Error ? ` (${err.message})` : '';
  return new CenApiError({
    action: 'ResolveCredentials',
    code: 'CredentialsNotFound',
    serverMessage: `Tried ${tried}${detail}`,
    originalError: err,
  });
}

interface LibCredential {
  getCredential(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string }>;
}

/**
 * The library's default chain remembers the last provider it tried even when
 * all failed, so a failed instance is dropped and the next call starts over.
 */
function fromLibrary(kind: string, tried: string, make: () => LibCredential): CredentialProvider {
  let lib: LibCredential | undefined;
  return hidden(kind, async () => {
    let c;
    try {
      lib ??= make();
      c = await lib.getCredential();
    } catch (err) {
      lib = undefined;
      throw chainError(tried, err);
    }
    if (!c.accessKeyId || !c.accessKeySecret) throw chainError(tried, undefined);
    return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken || undefined };
  });
}

/** A provider that tries each inner provider in turn (the library's chain without the env lookup of the profile name). */
function firstOf(providers: { getCredentials(): Promise<unknown>; getProviderName(): string }[]) {
  return {
    getProviderName: () => 'profile',
    async getCredentials(): Promise<unknown> {
      const errors: string[] = [];
      for (const p of providers) {
        try {
          return await p.getCredentials();
        } catch (err) {
          errors.push(err instanceof Error ? err.message : String(err));
        }
      }
      throw new Error(errors.join('; '));
    },
  };
}

/**
 * Build the credential provider for the given settings. Explicit keys win;
 * then `profile` (passed to the profile providers directly, so
 * `process.env.ALIBABA_CLOUD_PROFILE` is never touched); else the default chain.
 * Nothing is looked up until the first `getCredential()`.
 */
export function resolveCredentials(settings: CredentialSettings): CredentialProvider {
  const { accessKey, secretKey, securityToken, profile } = settings;
  if (accessKey || secretKey) {
    if (!accessKey || !secretKey) {
      throw new TypeError(
        `Expected both \`alicloud:accessKey\` and \`alicloud:secretKey\` to be set, got only ${accessKey ? 'accessKey' : 'secretKey'}. ${HOW_TO_SET}`,
      );
    }
    const cred: ResolvedCredential = { accessKeyId: accessKey, accessKeySecret: secretKey, securityToken: securityToken || undefined };
    return hidden('static', async () => ({ ...cred }));
  }
  if (profile) {
    const chain = (): ReturnType<typeof firstOf> =>
      firstOf([
        CLIProfileCredentialsProvider.builder().withProfileName(profile).build(),
        ProfileCredentialsProvider.builder().withProfileName(profile).build(),
      ]);
    const tried = `profile "${profile}" in ~/.aliyun/config.json and ~/.alibabacloud/credentials`;
    return fromLibrary('profile', tried, () => new Credential(null, chain()));
  }
  return fromLibrary(
    'default-chain',
    'the environment (ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET), OIDC (ALIBABA_CLOUD_ROLE_ARN...), the aliyun CLI profile, ~/.alibabacloud/credentials, the ECS RAM role and ALIBABA_CLOUD_CREDENTIALS_URI',
    () => new Credential(),
  );
}
