import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, compileTrust, isLocalClient, isLoopback } from './clientAddress.js';

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
    expect(clientAddress(req, compileTrust(true))).toBe('203.0.113.7');
    expect(clientAddress(req, compileTrust(false))).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': 'garbage' }), compileTrust(true))).toBe('127.0.0.1');
  });

  it('walks back through listed proxies only, whatever the client wrote before them', () => {
    const trust = compileTrust(['loopback', '10.0.0.0/8']);
    // Client 203.0.113.7 → edge proxy 10.1.2.3 → local proxy → server; 198.51.100.1 was spoofed by the client.
    const chain = { 'x-forwarded-for': '198.51.100.1, 203.0.113.7, 10.1.2.3' };
    expect(clientAddress(request('127.0.0.1', chain), trust)).toBe('203.0.113.7');
    expect(clientAddress(request('::ffff:127.0.0.1', chain), trust)).toBe('203.0.113.7');
    // A peer that is not a listed proxy is the client, whatever header it sends.
    expect(clientAddress(request('192.0.2.9', chain), trust)).toBe('192.0.2.9');
    // Several header lines count as one list.
    const lines = { 'x-forwarded-for': ['198.51.100.1', '203.0.113.7'] } as unknown as Record<string, string>;
    expect(clientAddress(request('127.0.0.1', lines), trust)).toBe('203.0.113.7');
    // One hop only with `true`: the entry the peer appended, not the one before it.
    expect(clientAddress(request('127.0.0.1', chain), compileTrust(true))).toBe('10.1.2.3');
    expect(() => compileTrust(['not-an-address'])).toThrow(TypeError);
  });

  it('treats a forwarded request from loopback as remote unless the trusted forwarded address is local', () => {
    expect(isLocalClient(request('127.0.0.1'), compileTrust(false))).toBe(true);
    expect(isLocalClient(request('192.0.2.1'), compileTrust(false))).toBe(false);
    expect(isLocalClient(request('127.0.0.1', { 'x-real-ip': '203.0.113.7' }), compileTrust(false))).toBe(false);
    expect(isLocalClient(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }), compileTrust(true))).toBe(false);
    expect(isLocalClient(request('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }), compileTrust(true))).toBe(true);
    expect(isLocalClient(request('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }), compileTrust(['10.0.0.0/8']))).toBe(false);
  });
});
