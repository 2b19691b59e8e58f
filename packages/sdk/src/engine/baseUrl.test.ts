import { describe, expect, test } from 'vitest';
import { isVendorHost, resolveBaseUrl, toWebSocketUrl } from './baseUrl.js';

const SCRIPT = 'https://parley.example.org/sdk/parley.js';
const PAGE = 'https://app.example.com';

describe('server base URL rule', () => {
  test('no cloudUrl: the origin of the SDK script', () => {
    expect(resolveBaseUrl(undefined, SCRIPT, PAGE)).toBe('https://parley.example.org');
    expect(resolveBaseUrl('', SCRIPT, PAGE)).toBe('https://parley.example.org');
  });

  test.each(['https://cloud.apizee.com', 'https://cloud.apirtc.com/', 'https://apirtc.com', 'https://x.y.APIZEE.com'])(
    'vendor cloudUrl %s: the origin of the SDK script',
    (vendor) => {
      expect(resolveBaseUrl(vendor, SCRIPT, PAGE)).toBe('https://parley.example.org');
    },
  );

  test('any other cloudUrl is the server (path kept, trailing slash dropped)', () => {
    expect(resolveBaseUrl('https://rtc.example.net/', SCRIPT, PAGE)).toBe('https://rtc.example.net');
    expect(resolveBaseUrl('http://10.0.0.2:3000/parley/', SCRIPT, PAGE)).toBe('http://10.0.0.2:3000/parley');
    expect(resolveBaseUrl('notapirtc.com', SCRIPT, PAGE)).toBe('https://notapirtc.com');
  });

  test('a script URL that is not http(s) (file:, blob:, bundled) falls back to the page origin', () => {
    expect(resolveBaseUrl(undefined, 'file:///x/parley.mjs', PAGE)).toBe(PAGE);
    expect(resolveBaseUrl(undefined, undefined, PAGE)).toBe(PAGE);
    expect(resolveBaseUrl(undefined, undefined, undefined)).toBeUndefined();
  });

  test('vendor hosts', () => {
    expect(isVendorHost('cloud.apizee.com')).toBe(true);
    expect(isVendorHost('evilapirtc.com')).toBe(false);
  });

  test('WebSocket URL keeps the base path and switches the scheme', () => {
    expect(toWebSocketUrl('https://a.b/parley', '/ws')).toBe('wss://a.b/parley/ws');
    expect(toWebSocketUrl('http://127.0.0.1:3000', 'ws')).toBe('ws://127.0.0.1:3000/ws');
  });
});
