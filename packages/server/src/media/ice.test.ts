import { describe, expect, it } from 'vitest';
import { normalizeRemoteCandidate, rewriteLocalCandidate, rewriteSdpCandidates } from './ice.js';

describe('ICE candidate helpers', () => {
  it('accepts browser candidates with or without a=', () => {
    const c = 'candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host generation 0 ufrag abcd';
    expect(normalizeRemoteCandidate(c)).toBe(c);
    expect(normalizeRemoteCandidate('a=' + c)).toBe(c);
  });

  it('ignores end-of-candidates and mDNS host names', () => {
    expect(normalizeRemoteCandidate('')).toBeUndefined();
    expect(normalizeRemoteCandidate('candidate:1 1 udp 2122260223 0b6f2c5e-1111.local 50000 typ host')).toBeUndefined();
  });

  it('announces the configured address on host candidates only', () => {
    const host = 'a=candidate:1 1 UDP 2114977791 10.0.0.5 40046 typ host';
    expect(rewriteLocalCandidate(host, undefined)).toBe(host.slice(2));
    expect(rewriteLocalCandidate(host, '203.0.113.7')).toBe('candidate:1 1 UDP 2114977791 203.0.113.7 40046 typ host');
    const srflx = 'candidate:3 1 UDP 1677729535 198.51.100.1 40046 typ srflx raddr 10.0.0.5 rport 40046';
    expect(rewriteLocalCandidate(srflx, '203.0.113.7')).toBe(srflx);
  });

  it('rewrites candidates inside a description and drops the duplicates it creates', () => {
    const sdp = [
      'v=0',
      'a=candidate:2 1 UDP 2116026111 fd00::2 40046 typ host',
      'a=candidate:1 1 UDP 2114977791 10.0.0.5 40046 typ host',
      'a=end-of-candidates',
    ].join('\r\n');
    expect(rewriteSdpCandidates(sdp, '203.0.113.7').split('\r\n')).toEqual([
      'v=0',
      'a=candidate:2 1 UDP 2116026111 203.0.113.7 40046 typ host',
      'a=end-of-candidates',
    ]);
  });
});
