import {
  acsEncode,
  parseAuthorization,
  payloadHash,
  v2Signature,
  v2StringToSign,
  v3Signature,
  v3StringToSign,
} from '../../src/emulator/signature';

describe('ACS3-HMAC-SHA256 (v3)', () => {
  const headers = {
    host: 'cbn.aliyuncs.com',
    'x-acs-action': 'CreateFlowlog',
    'x-acs-version': '2017-09-12',
    'x-acs-date': '2025-01-01T00:00:00Z',
    'x-acs-signature-nonce': 'nonce-123',
    'x-acs-content-sha256': payloadHash(''),
  };
  const query = { RegionId: 'cn-hangzhou', CenId: 'cen-1', LogFormatString: '${srcaddr}${dstaddr}${bytes}' };
  const sign = (q: Record<string, string>, secret = 'testsecret'): string =>
    v3Signature(
      secret,
      v3StringToSign({
        method: 'POST',
        query: q,
        headers,
        signedHeaders: Object.keys(headers).sort(),
        payloadHash: payloadHash(''),
      }).stringToSign,
    );

  it('matches the reference test vector', () => {
    expect(sign(query)).toBe('bdd42db1ed5d21cd8fd77ad5ae608f3d832a2eef9690c90f928fb8e5738f7a8f');
  });

  it('changes when a parameter, the secret or a signed header changes', () => {
    expect(sign({ ...query, CenId: 'cen-2' })).not.toBe(sign(query));
    expect(sign(query, 'other')).not.toBe(sign(query));
  });

  it('hashes the empty body as the client does', () => {
    expect(payloadHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('parses the Authorization header the client sends', () => {
    expect(parseAuthorization('ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date,Signature=abc')).toEqual({
      algorithm: 'ACS3-HMAC-SHA256',
      credential: 'ak',
      signedHeaders: ['host', 'x-acs-date'],
      signature: 'abc',
    });
    expect(parseAuthorization('ACS3-HMAC-SHA256 Credential=ak')).toBeUndefined();
    expect(parseAuthorization('garbage')).toBeUndefined();
  });
});

describe('HMAC-SHA1 (v2)', () => {
  const params = {
    Action: 'DescribeFlowlogs',
    Format: 'json',
    Version: '2017-09-12',
    Timestamp: '2025-01-01T00:00:00Z',
    SignatureNonce: 'nonce-123',
    RegionId: 'cn-hangzhou',
    CenId: 'cen-1',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    AccessKeyId: 'testid',
  };

  it('matches the reference test vector', () => {
    expect(v2Signature('testsecret', v2StringToSign('POST', params))).toBe('MD8Me9rVqVxF7CooxjaQmeffSak=');
  });

  it('ignores a Signature parameter already present', () => {
    expect(v2Signature('testsecret', v2StringToSign('POST', { ...params, Signature: 'x' }))).toBe('MD8Me9rVqVxF7CooxjaQmeffSak=');
  });
});

it.each([
  ['a b', 'a%20b'],
  ["!'()*", '%21%27%28%29%2A'],
  ['${x}', '%24%7Bx%7D'],
  ['~-_.', '~-_.'],
])('acsEncode(%j) is %j', (input, expected) => {
  expect(acsEncode(input)).toBe(expected);
});
