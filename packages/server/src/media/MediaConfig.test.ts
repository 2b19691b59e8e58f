import { ErrorCode, ParleyError } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { resolveMediaConfig } from './MediaConfig.js';

describe('resolveMediaConfig', () => {
  it('has sane defaults', () => {
    expect(resolveMediaConfig()).toEqual({
      bindAddress: undefined,
      announcedAddress: undefined,
      portRange: undefined,
      iceServers: [],
      enableH264: false,
      maxVideoBitrate: 2_500_000,
      minVideoBitrate: 150_000,
      pliIntervalMs: 350,
      nackCacheSize: 1024,
      rtcpIntervalMs: 1000,
      fdReserve: 512,
      maxSectionsPerOffer: 16,
      maxSubscriptionsPerPeer: 128,
      transportTimeoutMs: 30_000,
      nackRetransmitRatio: 0.2,
      nackBurst: 64,
      nackRepeatWindowMs: 100,
    });
  });

  it.each([
    [{ bindAddress: 'eth0' }],
    [{ announcedAddress: 'example.com' }],
    [{ portRange: { min: 50000, max: 40000 } }],
    [{ portRange: { min: 80, max: 40000 } }],
    [{ pliIntervalMs: 100 }],
    [{ nackCacheSize: 1000 }],
    [{ minVideoBitrate: 3_000_000 }],
    [{ fdReserve: -1 }],
    [{ maxSectionsPerOffer: 0 }],
    [{ maxSubscriptionsPerPeer: 1.5 }],
    [{ transportTimeoutMs: 10 }],
    [{ nackRetransmitRatio: 2 }],
    [{ nackBurst: -1 }],
  ])('refuses %j with code 9', (options) => {
    try {
      resolveMediaConfig(options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ParleyError);
      expect((error as ParleyError).code).toBe(ErrorCode.BAD_PARAMETER);
    }
  });
});
