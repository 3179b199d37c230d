/**
 * ClientToken idempotency per action and AccessKey: the same token with the same parameters
 * answers the first result again; with different parameters it is an error.
 */
import { ApiError } from './errors';
import type { Params } from './validate';

export interface TokenEntry {
  fingerprint: string;
  result: Record<string, unknown>;
}

const MAX_ENTRIES = 10_000;

export function fingerprint(params: Params): string {
  return JSON.stringify(
    Object.keys(params)
      .filter((k) => k !== 'ClientToken')
      .sort()
      .map((k) => [k, params[k]]),
  );
}

export class ClientTokens {
  private readonly entries = new Map<string, TokenEntry>();

  constructor(initial: Array<[string, TokenEntry]> = []) {
    for (const [key, entry] of initial) this.entries.set(key, entry);
  }

  private static key(action: string, accessKeyId: string, token: string): string {
    return `${action}\n${accessKeyId}\n${token}`;
  }

  /** The earlier result for this token, or undefined if the token is new. */
  replay(action: string, accessKeyId: string, params: Params): Record<string, unknown> | undefined {
    const token = params.ClientToken;
    if (!token) return undefined;
    const entry = this.entries.get(ClientTokens.key(action, accessKeyId, token));
    if (!entry) return undefined;
    if (entry.fingerprint !== fingerprint(params)) {
      throw new ApiError('IdempotentParameterMismatch', `ClientToken "${token}" was used with other parameters.`);
    }
    return entry.result;
  }

  remember(action: string, accessKeyId: string, params: Params, result: Record<string, unknown>): void {
    const token = params.ClientToken;
    if (!token) return;
    this.entries.set(ClientTokens.key(action, accessKeyId, token), { fingerprint: fingerprint(params), result });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Undo `remember` for a change that was rolled back (its token was new, so nothing is lost). */
  forget(action: string, accessKeyId: string, params: Params): void {
    const token = params.ClientToken;
    if (token) this.entries.delete(ClientTokens.key(action, accessKeyId, token));
  }

  toJSON(): Array<[string, TokenEntry]> {
    return [...this.entries];
  }
}
