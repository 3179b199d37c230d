/** Who is calling, and is the request genuine: both signature algorithms, STS, time and nonce. */
import type { AccessKey } from './types';
import { ApiError, missing } from './errors';
import {
  V3_ALGORITHMS,
  parseAuthorization,
  payloadHash,
  sameSignature,
  v2Signature,
  v2StringToSign,
  v3Signature,
  v3StringToSign,
} from './signature';

export const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;

/** Parameters the gateway consumes; they never reach an action. */
export const COMMON_PARAMS = new Set([
  'Action',
  'Version',
  'Format',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureType',
  'AccessKeyId',
  'Signature',
  'SecurityToken',
]);

export interface SignedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  /** Form-encoded body parameters: v2 signs them as parameters, v3 through the body hash. */
  form: Record<string, string>;
  body: Buffer;
}

export interface Caller {
  accessKeyId: string;
  algorithm: string;
}

/** Remembers nonces for the timestamp window; insertion order is expiry order. */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  /** False if the nonce was already used within the window. */
  use(accessKeyId: string, nonce: string, now: number): boolean {
    for (const [key, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(key);
    }
    const key = `${accessKeyId}\n${nonce}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, now + 2 * TIMESTAMP_WINDOW_MS);
    return true;
  }
}

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The action and version the request asks for, from v3 headers or v2 query parameters. */
export function requestedAction(req: SignedRequest): { action: string; version: string } {
  const action = header(req, 'x-acs-action') ?? req.query.Action ?? req.form.Action;
  const version = header(req, 'x-acs-version') ?? req.query.Version ?? req.form.Version;
  if (!action) throw missing('Action');
  if (!version) throw missing('Version');
  return { action, version };
}

function checkTime(value: string | undefined, name: string, now: number): void {
  if (!value) throw missing(name);
  const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new ApiError('InvalidTimeStamp.Format', `${name} must look like 2025-01-01T00:00:00Z, got "${value}".`);
  if (Math.abs(now - t) > TIMESTAMP_WINDOW_MS) {
    throw new ApiError('InvalidTimeStamp.Expired', `${name} ${value} is more than 15 minutes from the server time.`);
  }
}

function checkToken(key: AccessKey, token: string | undefined): void {
  if (key.securityToken === undefined && token === undefined) return;
  if (token === undefined) throw new ApiError('MissingSecurityToken', `AccessKey ${key.accessKeyId} is an STS key.`);
  if (token !== key.securityToken) throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey');
}

function findKey(keys: ReadonlyMap<string, AccessKey>, id: string): AccessKey {
  const key = keys.get(id);
  if (!key) throw new ApiError('InvalidAccessKeyId.NotFound', `AccessKeyId "${id}" is not known to this emulator.`);
  return key;
}

function verifyV3(req: SignedRequest, authorization: string, keys: ReadonlyMap<string, AccessKey>): Caller {
  const auth = parseAuthorization(authorization);
  if (!auth) throw new ApiError('IncompleteSignature', 'The Authorization header is malformed.');
  if (!V3_ALGORITHMS.includes(auth.algorithm)) {
    throw new ApiError('IncompleteSignature', `Unsupported signature algorithm ${auth.algorithm}.`);
  }
  const key = findKey(keys, auth.credential);
  const hash = payloadHash(req.body, auth.algorithm);
  const { stringToSign } = v3StringToSign({
    method: req.method,
    query: req.query,
    headers: req.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: hash,
    algorithm: auth.algorithm,
  });
  if (!sameSignature(v3Signature(key.accessKeySecret, stringToSign, auth.algorithm), auth.signature)) {
    throw new ApiError('SignatureDoesNotMatch', `Server string to sign is:${stringToSign.replace(/\n/g, ' ')}`);
  }
  checkToken(key, header(req, 'x-acs-security-token'));
  return { accessKeyId: key.accessKeyId, algorithm: auth.algorithm };
}

function verifyV2(req: SignedRequest, keys: ReadonlyMap<string, AccessKey>): Caller {
  const params = { ...req.form, ...req.query };
  if (!params.AccessKeyId) throw missing('AccessKeyId');
  if (params.SignatureMethod !== 'HMAC-SHA1') {
    throw new ApiError('IncompleteSignature', `Unsupported SignatureMethod ${String(params.SignatureMethod)}.`);
  }
  const key = findKey(keys, params.AccessKeyId);
  const stringToSign = v2StringToSign(req.method, params);
  if (!sameSignature(v2Signature(key.accessKeySecret, stringToSign), params.Signature ?? '')) {
    throw new ApiError('SignatureDoesNotMatch', `Server string to sign is:${stringToSign}`);
  }
  checkToken(key, params.SecurityToken);
  return { accessKeyId: key.accessKeyId, algorithm: 'HMAC-SHA1' };
}

/** Verify signature, credentials, time window and nonce; returns the caller. */
export function authenticate(req: SignedRequest, keys: ReadonlyMap<string, AccessKey>, nonces: NonceCache, now: number): Caller {
  const authorization = header(req, 'authorization');
  let caller: Caller;
  let nonce: string | undefined;
  if (authorization) {
    checkTime(header(req, 'x-acs-date'), 'x-acs-date', now);
    nonce = header(req, 'x-acs-signature-nonce');
    if (!nonce) throw missing('x-acs-signature-nonce');
    caller = verifyV3(req, authorization, keys);
  } else {
    if (!req.query.Signature && !req.form.Signature) throw missing('Signature');
    checkTime(req.query.Timestamp ?? req.form.Timestamp, 'Timestamp', now);
    nonce = req.query.SignatureNonce ?? req.form.SignatureNonce;
    if (!nonce) throw missing('SignatureNonce');
    caller = verifyV2(req, keys);
  }
  if (!nonces.use(caller.accessKeyId, nonce, now)) throw new ApiError('SignatureNonceUsed', `Nonce "${nonce}".`);
  return caller;
}
