/** Reading requests and writing responses on the wire, defensively. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody } from './errors';

/**
 * The longest request line (method, URL, version) the emulator accepts, in bytes; longer
 * answers 414 `RequestURITooLong`. Alibaba's generated SDKs put every RPC parameter in the
 * URL, so this must hold the largest valid CreateFlowlog (128-character name, 256-character
 * description, 20 tags of 64 + 128 characters, all 4-byte characters percent-encoded: about
 * 52 KiB signed). The live gateway's own limit is not published.
 */
export const MAX_REQUEST_LINE_BYTES = 128 * 1024;
/** Node's limit on request line plus headers: above MAX_REQUEST_LINE_BYTES, so the line check speaks first. */
export const MAX_HEADER_BYTES = MAX_REQUEST_LINE_BYTES + 64 * 1024;
export const MAX_VALUE_LENGTH = 8 * 1024;
export const MAX_BODY_BYTES = 1024 * 1024;

function decode(part: string): string {
  if (!part.includes('%') && !part.includes('+')) return part;
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new ApiError('MalformedRequest', `"${part.slice(0, 64)}" is not percent-encoded UTF-8.`);
  }
}

/** Parse `a=1&b=2` strictly: valid percent-encoded UTF-8, no duplicates, bounded values. */
export function parseForm(raw: string): Record<string, string> {
  // Raw bytes outside printable ASCII must be percent-encoded.
  if (/[^\x21-\x7e]/.test(raw)) throw new ApiError('MalformedRequest', 'The query string must be percent-encoded ASCII.');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (key === '') throw new ApiError('MalformedRequest', 'A query parameter has an empty name.');
    if (key in out) throw new ApiError('MalformedRequest', `Parameter ${key} is given more than once.`);
    if (value.length > MAX_VALUE_LENGTH) {
      throw new ApiError('InvalidParameter', `The value of ${key} is longer than ${MAX_VALUE_LENGTH} characters.`);
    }
    out[key] = value;
  }
  return out;
}

/** Read the whole body, refusing more than MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new ApiError('RequestEntityTooLarge', `The body is larger than ${MAX_BODY_BYTES} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, statusCode: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError, requestId: string): void {
  sendJson(res, err.statusCode, errorBody(err, requestId));
}

/** Turn anything thrown into an ApiError, hiding internals behind InternalError. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new ApiError('InternalError', `(emulator: ${detail})`);
}
