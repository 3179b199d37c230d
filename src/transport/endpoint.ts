/**
 * The one endpoint parser: a URL of scheme and host only, and plain HTTP
 * only to loopback (where the emulator runs), since requests carry signed
 * credentials. Pure: no HTTP client is loaded to answer it.
 */
import { isIP } from 'node:net';

/** An endpoint parseEndpoint accepted: what the HTTP client is configured with. */
export interface Endpoint {
  readonly protocol: 'HTTP' | 'HTTPS';
  /** Host name or address, with the port when one was given. */
  readonly host: string;
}

export function parseEndpoint(endpoint: string): Endpoint {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`Expected \`endpoint\` to be a URL like https://cbn.aliyuncs.com, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`Expected \`endpoint\` to use https://, got ${JSON.stringify(endpoint)}`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new TypeError(
      `Expected \`endpoint\` to be a scheme and host only (like https://cbn.aliyuncs.com), got ${JSON.stringify(endpoint)}`,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new TypeError(
      `Refusing plain HTTP to ${url.hostname}: requests carry signed credentials and the responses would be unauthenticated. ` +
        'Use https:// (plain http:// is allowed only for 127.0.0.0/8, ::1 and localhost, e.g. the local emulator).',
    );
  }
  return { protocol: url.protocol === 'https:' ? 'HTTPS' : 'HTTP', host: url.host };
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}
