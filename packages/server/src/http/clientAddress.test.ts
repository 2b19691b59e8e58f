import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, isLocalClient, isLoopback } from './clientAddress.js';

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('client addresses', () => {
  it('recognises loopback addresses, IPv4-mapped ones included', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', 'localhost', undefined].map(isLoopback)).toEqual([false, false, false, false, false]);
  });

  it('counts IPv4 addresses as they are and IPv6 ones by their /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
  });

  it('takes the last X-Forwarded-For entry only behind a trusted proxy', () => {
    const req = request('127.0.0.1', { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' });
    expect(clientAddress(req, true)).toBe('203.0.113.7');
    expect(clientAddress(req, false)).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': 'garbage' }), true)).toBe('127.0.0.1');
  });

  it('treats a forwarded request from loopback as remote unless the trusted forwarded address is local', () => {
    expect(isLocalClient(request('127.0.0.1'), false)).toBe(true);
    expect(isLocalClient(request('192.0.2.1'), false)).toBe(false);
    expect(isLocalClient(request('127.0.0.1', { 'x-real-ip': '203.0.113.7' }), false)).toBe(false);
    expect(isLocalClient(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }), true)).toBe(false);
    expect(isLocalClient(request('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }), true)).toBe(true);
  });
});
