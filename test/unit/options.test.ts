import { AdaptiveBudget } from '../../src/pacing/budget';
import { withRetry } from '../../src/pacing/retry';
import { createCenClient } from '../../src/transport/client';
import { StatusLoop } from '../../src/waiting/statusloop';
import type { CenApi } from '../../src/transport/types';

const api = {} as CenApi;
const credential = { getCredential: async () => ({ accessKeyId: 'id', accessKeySecret: 'secret' }) };

describe('numeric options are checked up front, every one with the same message shape', () => {
  it.each([
    [
      'a negative retry delay',
      () => withRetry('X', async () => 1, { deadline: 0, minDelayMs: -1 }),
      'Expected `minDelayMs` to be a non-negative number, got -1',
    ],
    [
      'a NaN retry delay',
      () => withRetry('X', async () => 1, { deadline: 0, maxDelayMs: NaN }),
      'Expected `maxDelayMs` to be a non-negative number, got NaN',
    ],
    [
      'a zero budget rate',
      () => new AdaptiveBudget({ maxRate: 0 }),
      'Expected `maxRate` to be a positive number of requests per second, got 0',
    ],
    [
      'an infinite budget rate',
      () => new AdaptiveBudget({ minRate: Infinity }),
      'Expected `minRate` to be a positive number of requests per second, got Infinity',
    ],
    [
      'a negative request timeout',
      () => createCenClient({ endpoint: 'http://127.0.0.1:1', credential, readTimeoutMs: -5 }),
      'Expected `readTimeoutMs` to be a positive number of milliseconds, got -5',
    ],
    [
      'a fractional page size',
      () => new StatusLoop(api, new AdaptiveBudget(), 'cn-x', undefined, { pageSize: 2.5 }),
      'Expected `pageSize` to be a positive integer, got 2.5',
    ],
    [
      'a zero page size',
      () => new StatusLoop(api, new AdaptiveBudget(), 'cn-x', undefined, { pageSize: 0 }),
      'Expected `pageSize` to be a positive integer, got 0',
    ],
  ])('refuses %s', async (_name, make, message) => {
    await expect(Promise.resolve().then((): unknown => make())).rejects.toThrow(new TypeError(message));
  });
});
