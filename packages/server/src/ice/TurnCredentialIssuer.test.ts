import { createHmac } from 'node:crypto';
import { IceServersResult } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { TurnCredentialIssuer, turnCredential } from './TurnCredentialIssuer.js';

const settings = {
  stunUrls: ['stun:turn.example.com:3478'],
  turnUrls: ['turn:turn.example.com:3478?transport=udp', 'turn:turn.example.com:3478?transport=tcp', 'turns:turn.example.com:5349'],
  turnSecret: 'a-shared-secret-of-some-length',
  credentialTtlS: 3600,
};

describe('TurnCredentialIssuer', () => {
  it('issues coturn REST credentials: <expiry>:<user>, base64 HMAC-SHA1 of it with the secret', () => {
    const now = Date.UTC(2026, 0, 1);
    const result = new TurnCredentialIssuer(settings).issue('alice', now);
    expect(IceServersResult.parse(result)).toEqual(result);
    const expiry = now / 1000 + 3600;
    expect(result).toEqual({
      iceServers: [
        { urls: settings.stunUrls },
        {
          urls: settings.turnUrls,
          username: `${expiry}:alice`,
          credential: createHmac('sha1', settings.turnSecret).update(`${expiry}:alice`).digest('base64'),
        },
      ],
      expiresAt: expiry * 1000,
    });
  });

  it('matches a known value (RFC 2202 HMAC-SHA1 test case 2 in base64)', () => {
    // key "Jefe", data "what do ya want for nothing?" → effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
    expect(turnCredential('Jefe', 'what do ya want for nothing?')).toBe(Buffer.from('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', 'hex').toString('base64'));
  });

  it('different users and times get different credentials; user ids with colons stay whole', () => {
    const issuer = new TurnCredentialIssuer(settings);
    const a = issuer.issue('alice', 1_000_000).iceServers[1];
    const b = issuer.issue('bob', 1_000_000).iceServers[1];
    const later = issuer.issue('alice', 2_000_000).iceServers[1];
    expect(a?.credential).not.toBe(b?.credential);
    expect(a?.credential).not.toBe(later?.credential);
    expect(issuer.issue('a:b', 1_000_000).iceServers[1]?.username).toBe('4600:a:b');
  });

  it('STUN only: no credentials, no expiry; nothing configured: no servers', () => {
    expect(new TurnCredentialIssuer({ ...settings, turnUrls: [], turnSecret: undefined }).issue('alice')).toEqual({
      iceServers: [{ urls: settings.stunUrls }],
    });
    const none = new TurnCredentialIssuer({ stunUrls: [], turnUrls: [], credentialTtlS: 60 });
    expect(none.configured).toBe(false);
    expect(none.issue('alice')).toEqual({ iceServers: [] });
  });

  it('refuses TURN URLs without a secret', () => {
    expect(() => new TurnCredentialIssuer({ ...settings, turnSecret: undefined })).toThrow(/secret/);
  });
});
