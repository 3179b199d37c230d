import * as crypto from 'node:crypto';
import { accountKey, defaultSessionFactory } from '../../src/core/session';
import { readSettings, type ProviderSettings } from '../../src/core/settings';
import * as endpointModule from '../../src/transport/endpoint';
import { systemClock } from '../../src/pacing/clock';

const SECRET = 'sEcReT-0123456789abcdef';
const TOKEN = 'sts-token-fedcba9876543210';

const settings = (secretKey = SECRET, securityToken = TOKEN): ProviderSettings => ({
  endpoint: { protocol: 'HTTP', host: '127.0.0.1:1' },
  requestTimeoutMs: 1000,
  credentials: { accessKey: 'LTAI-key-id', secretKey, securityToken },
});

describe('the per-process account map', () => {
  it('never keeps the AccessKey secret or the STS token in a key', () => {
    const set = jest.spyOn(Map.prototype, 'set');
    try {
      defaultSessionFactory(systemClock, () => undefined)(settings(), Date.now() + 1000);
      const keys = set.mock.calls.map(([key]) => String(key));
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((k) => k.includes(SECRET) || k.includes(TOKEN))).toEqual([]);
    } finally {
      set.mockRestore();
    }
  });

  it('works out the key of one settings object once, not on every operation', () => {
    const hash = jest.spyOn(crypto, 'createHash');
    try {
      const sessions = defaultSessionFactory(systemClock, () => undefined);
      const same = settings();
      for (let i = 0; i < 5; i++) sessions(same, Date.now() + 1000);
      expect(hash).toHaveBeenCalledTimes(2); // the secret and the token, once
      sessions(settings('another-secret'), Date.now() + 1000);
      expect(hash).toHaveBeenCalledTimes(4);
    } finally {
      hash.mockRestore();
    }
  });

  it('tells accounts apart by their secret, and shares one account for the same credentials', () => {
    expect(accountKey(settings())).toBe(accountKey(settings()));
    expect(accountKey(settings('another-secret'))).not.toBe(accountKey(settings()));
    expect(accountKey(settings(SECRET, 'another-token'))).not.toBe(accountKey(settings()));
  });
});

describe('the endpoint on its way from the settings to the client', () => {
  it('is parsed once: the settings parse and check it, the client takes it as it is', () => {
    const parse = jest.spyOn(endpointModule, 'parseEndpoint');
    try {
      const read = readSettings(undefined, {
        CEN_FLOWLOG_ENDPOINT: 'HTTP://LocalHost:8642',
        ALICLOUD_ACCESS_KEY: 'ak',
        ALICLOUD_SECRET_KEY: 'sk',
      });
      expect(read.endpoint).toEqual({ protocol: 'HTTP', host: 'localhost:8642' });
      defaultSessionFactory(systemClock, () => undefined)(read, Date.now() + 1000);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });
});
