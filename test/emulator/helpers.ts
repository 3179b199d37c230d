/** Shared fixtures for the emulator tests: the real openapi-client pointed at an emulator. */
import * as http from 'node:http';
import OpenApi, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import { RuntimeOptions } from '@alicloud/tea-util';
import type { Emulator } from '../../src/emulator';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

export type Algorithm = 'v3' | 'v2';
export type ApiParams = Record<string, unknown>;

export interface ClientOptions {
  algorithm?: Algorithm;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  timeoutMs?: number;
  /** @default 'POST' */
  method?: 'GET' | 'POST';
  /** Where the business parameters travel: the query string, or a form-encoded body. @default 'query' */
  paramsIn?: 'query' | 'body';
}

/** A JSON body as the emulator answers it: the tests walk it freely, and its shape is what they assert. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A function that calls one action through the real client and returns the JSON body. */
export type Call = (action: string, params?: ApiParams) => Promise<Record<string, Json>>;

export function client(emu: Emulator, opts: ClientOptions = {}): Call {
  const c = new OpenApi(
    new Config({
      accessKeyId: opts.accessKeyId ?? emu.accessKeyId,
      accessKeySecret: opts.accessKeySecret ?? emu.accessKeySecret,
      securityToken: opts.securityToken ?? emu.securityToken,
      endpoint: emu.host,
      protocol: 'HTTP',
      regionId: 'cn-hangzhou',
      readTimeout: opts.timeoutMs ?? 5000,
      connectTimeout: opts.timeoutMs ?? 5000,
      ...(opts.algorithm === 'v2' ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
  return async (action, params = {}) => {
    const res = await c.callApi(
      new Params({
        action,
        version: '2017-09-12',
        protocol: 'HTTP',
        pathname: '/',
        method: opts.method ?? 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      }),
      new OpenApiRequest(opts.paramsIn === 'body' ? { body: OpenApiUtil.query(params) } : { query: OpenApiUtil.query(params) }),
      new RuntimeOptions({}),
    );
    return res.body as Record<string, Json>;
  };
}

/** The error a call rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<{ code: string; statusCode: number; message: string; data: Json }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; statusCode: number; message: string; data: Json };
  }
  throw new Error('Expected the call to fail, but it succeeded');
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json?: Json;
}

/** A raw HTTP request, for what the real client would never send. */
export function raw(
  emu: Emulator,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: emu.port, method: opts.method ?? 'POST', path: opts.path ?? '/', headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: Json;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Every write to one flow log, with what it needs besides the flow log: a transitional status refuses each. */
export const FLOWLOG_WRITES = [
  ['ModifyFlowLogAttribute', { FlowLogName: 'x' }],
  ['ActiveFlowLog', {}],
  ['DeactiveFlowLog', {}],
  ['DeleteFlowlog', {}],
] as const;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll DescribeFlowlogs until the flow log has `status` (or is gone, for 'gone'). */
export async function waitFor(call: Call, flowLogId: string, status: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await call('DescribeFlowlogs', { RegionId: 'cn-hangzhou', FlowLogId: flowLogId });
    const item = body.FlowLogs.FlowLog[0];
    if (status === 'gone' ? !item : item?.Status === status) return;
    if (Date.now() > deadline) throw new Error(`${flowLogId} did not reach ${status}; last ${item?.Status ?? 'gone'}`);
    await sleep(10);
  }
}

/** A hand-made v2 (HMAC-SHA1) request: query string for POST /, signed unless told otherwise. */
export function signedV2Query(
  emu: Emulator,
  action: string,
  params: Record<string, string>,
  opts: {
    timestamp?: string;
    nonce?: string;
    secret?: string;
    accessKeyId?: string;
    version?: string;
  } = {},
): string {
  const { v2Signature, v2StringToSign, acsEncode } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../src/emulator/signature') as typeof import('../../src/emulator/signature');
  const all: Record<string, string> = {
    Action: action,
    Format: 'json',
    Version: opts.version ?? '2017-09-12',
    Timestamp: opts.timestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    SignatureNonce: opts.nonce ?? `nonce-${Math.random().toString(36).slice(2)}`,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    AccessKeyId: opts.accessKeyId ?? emu.accessKeyId,
    ...params,
  };
  all.Signature = v2Signature(opts.secret ?? emu.accessKeySecret, v2StringToSign('POST', all));
  return Object.entries(all)
    .map(([k, v]) => `${acsEncode(k)}=${acsEncode(v)}`)
    .join('&');
}
