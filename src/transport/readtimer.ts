/**
 * httpx (the HTTP layer under @alicloud/openapi-client) starts a read timer on the socket for every
 * request and clears it only in its own body reader; the openapi runtime reads bodies with another
 * reader, so the timer runs its full readTimeout (30 s by default) after the answer came, and its
 * closure keeps the request, the response and their headers alive that long: at 20 req/s about 600
 * finished exchanges held at once, all promoted to the old space before they die, which is what grows
 * a large stack's provider heap. Clearing the timer once the body has ended keeps httpx's own rule (it
 * bounds the wait for the whole body, as httpx.read does) and frees the exchange at once.
 */
import * as diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

const RESPONSE_CHANNEL = 'http.client.response.finish';
/** httpx names its socket fields with local symbols; found by their description. */
const READ_TIMER = 'TIMER::READ_TIMER';

let installed = false;

function readTimerKey(socket: object): symbol | undefined {
  return Object.getOwnPropertySymbols(socket).find((s) => s.description === READ_TIMER);
}

function onResponse(msg: unknown): void {
  const { request, response } = msg as { request: ClientRequest; response: IncomingMessage };
  const socket = request.socket as (object & Record<symbol, unknown>) | null;
  if (!socket) return;
  const key = readTimerKey(socket);
  if (!key) return;
  const timer = socket[key];
  // 'end' handlers run before the agent hands the socket to the next request, so the timer is still this exchange's.
  response.once('end', () => {
    clearTimeout(timer as NodeJS.Timeout);
    if (socket[key] === timer) socket[key] = null;
  });
}

/** Installs the one process-wide listener (idempotent). */
export function releaseReadTimers(): void {
  if (installed) return;
  installed = true;
  diagnostics.subscribe(RESPONSE_CHANNEL, onResponse);
}
