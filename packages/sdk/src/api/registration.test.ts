import { describe, expect, test } from 'vitest';
import { parseUserAgent } from '../util/platform.js';
import { buildRegisterUserData, checkRegisterUri, groupList } from './registration.js';

const fail = (uri: unknown, password?: unknown) => {
  const r = checkRegisterUri(uri, password);
  return 'code' in r ? { code: r.code, message: r.error.message } : r;
};

describe('register() uri checks (docs/sdk-reference.md#registration)', () => {
  test('apiKey: and apzkey: give the key', () => {
    expect(checkRegisterUri('apiKey:myDemoApiKey', undefined)).toEqual({ apiKey: 'myDemoApiKey' });
    expect(checkRegisterUri('apzkey:k:with:colons', undefined)).toEqual({ apiKey: 'k:with:colons' });
  });

  test.each([undefined, null, '', 42])('no uri (%s): 7', (uri) => {
    expect(fail(uri)).toEqual({ code: 7, message: 'register() - Cannot register UserAgent, no uri was specified' });
  });

  test('unknown prefix: 7 naming the text before the first colon', () => {
    expect(fail('apiCC:abc')).toEqual({ code: 7, message: 'register() - prefix invalid used for uri :apiCC' });
    expect(fail('nocolon')).toEqual({ code: 7, message: 'register() - prefix invalid used for uri :nocolon' });
  });

  test('empty key: 0 Wrong apiKey', () => {
    expect(fail('apiKey:')).toEqual({ code: 0, message: 'register() - Wrong apiKey' });
  });

  test('cloud users: 1 without password (apizee: message for both), else 5 not supported', () => {
    const noPassword = { code: 1, message: 'register() - No password was specified for apizee: UserAgent registration' };
    expect(fail('apirtc:bob')).toEqual(noPassword);
    expect(fail('apizee:bob', '')).toEqual(noPassword);
    const unsupported = { code: 5, message: 'register() - ApiRTC Initialization error : cloud user accounts are not supported by Parley' };
    expect(fail('apizee:bob', 'secret')).toEqual(unsupported);
    expect(fail('token:abc')).toEqual(unsupported);
  });
});

describe('registration user data and groups', () => {
  const platform = parseUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36');

  test('guest username, userConfId, descriptors, then RegisterInformation.userData merged last', () => {
    const bag = buildRegisterUserData({ kept: 1 }, { userData: { status: 'free', browser: 'custom' } }, platform, 1234);
    expect(bag['username']).toMatch(/^guest-[a-z0-9]{13}$/);
    expect(bag['userConfId']).toBe(`${String(bag['username'])}1234`);
    expect(bag).toMatchObject({ kept: 1, status: 'free', browser: 'custom', osName: 'Linux', apiRTCVersion: '5.0.35' });
  });

  test('nickname wins, then a username set before register', () => {
    expect(buildRegisterUserData({ username: 'early' }, { nickname: 'Nick' }, platform)['username']).toBe('Nick');
    expect(buildRegisterUserData({ username: 'early' }, {}, platform)['username']).toBe('early');
  });

  test('groups and subscribeTo default to ["default"] independently', () => {
    expect(groupList(undefined, ['default'])).toEqual(['default']);
    expect(groupList(['Customer', 'Customer', 7], ['default'])).toEqual(['Customer', '7']);
    expect(groupList([], ['default'])).toEqual([]);
  });
});
