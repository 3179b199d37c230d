/**
 * Signature algorithms exactly as @alicloud/openapi-util 0.3 computes them, as pure
 * functions, so a verifier can recompute a request's signature from its own parts.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** encodeURIComponent plus `!'()*`, as openapi-util's `encode`. */
export function acsEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const V3_HASHES: Record<string, string> = { 'ACS3-HMAC-SHA256': 'sha256', 'ACS3-HMAC-SM3': 'sm3' };

export const V3_ALGORITHMS = Object.keys(V3_HASHES);

export function payloadHash(body: Buffer | string, algorithm = 'ACS3-HMAC-SHA256'): string {
  return createHash(V3_HASHES[algorithm] ?? 'sha256')
    .update(body)
    .digest('hex');
}

export interface V3Parts {
  method: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Lower-case header name → value(s). */
  headers: Record<string, string | string[] | undefined>;
  /** Lower-case header names, in the order the request listed them. */
  signedHeaders: string[];
  /** Hex hash of the body. */
  payloadHash: string;
  algorithm?: string;
  pathname?: string;
}

function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${k}=${acsEncode(query[k] ?? '')}`)
    .join('&');
}

function canonicalHeaders(headers: V3Parts['headers'], names: string[]): string {
  return names
    .map((name) => {
      const raw = headers[name];
      const values = (Array.isArray(raw) ? raw : [raw ?? '']).map((v) => v.trim()).sort();
      return `${name}:${values.join(',')}\n`;
    })
    .join('');
}

/** CanonicalRequest and StringToSign of an ACS3 (v3) request. */
export function v3StringToSign(parts: V3Parts): { canonicalRequest: string; stringToSign: string } {
  const algorithm = parts.algorithm ?? 'ACS3-HMAC-SHA256';
  const canonicalRequest = [
    parts.method,
    parts.pathname ?? '/',
    canonicalQuery(parts.query),
    canonicalHeaders(parts.headers, parts.signedHeaders),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
  return { canonicalRequest, stringToSign: `${algorithm}\n${payloadHash(canonicalRequest, algorithm)}` };
}

export function v3Signature(secret: string, stringToSign: string, algorithm = 'ACS3-HMAC-SHA256'): string {
  return createHmac(V3_HASHES[algorithm] ?? 'sha256', secret)
    .update(stringToSign)
    .digest('hex');
}

export interface ParsedAuthorization {
  algorithm: string;
  credential: string;
  signedHeaders: string[];
  signature: string;
}

/** Parse `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=a;b,Signature=..`; undefined if malformed. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = /^(\S+) (.*)$/.exec(header.trim());
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[2]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || signedHeaders === undefined || !signature) return undefined;
  return {
    algorithm: match[1]!,
    credential,
    signature,
    signedHeaders: signedHeaders
      .split(';')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  };
}

/** StringToSign of a classic RPC (HMAC-SHA1, "v2") request; `Signature` itself is excluded. */
export function v2StringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${acsEncode(k)}=${acsEncode(params[k] ?? '')}`)
    .join('&');
  return `${method}&${acsEncode('/')}&${acsEncode(canonical)}`;
}

export function v2Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/** Constant-time comparison of two signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
