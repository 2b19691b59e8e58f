import { describe, expect, it } from 'vitest';
import { MediaChannelError, parseCommand, parseEvent } from './channel.js';

describe('media worker channel codec', () => {
  it('accepts well-formed commands and events unchanged', () => {
    const offer = { op: 'publisherOffer', req: 3, room: 'room-1', peer: 'alice', sdp: 'v=0\r\n', timeoutMs: 5000 } as const;
    expect(parseCommand(offer)).toEqual(offer);
    const sdp = {
      ev: 'subscriberSdp',
      room: 'room-1',
      peer: 'bob',
      sdp: 'v=0\r\n',
      subscriptions: [{ id: 'fwd-1', source: 'track-1', kind: 'video', mid: '0', streamId: 's1' }],
    } as const;
    expect(parseEvent(sdp)).toEqual(sdp);
    // A JSON round trip (what child_process IPC does) keeps the message valid.
    expect(parseEvent(JSON.parse(JSON.stringify(sdp)))).toEqual(sdp);
  });

  it('refuses unknown operations, missing fields and extra fields', () => {
    expect(() => parseCommand({ op: 'explode', room: 'r' })).toThrow(MediaChannelError);
    expect(() => parseCommand({ op: 'addPeer', room: 'r' })).toThrow(/peer/);
    expect(() => parseCommand({ op: 'closeRoom', room: 'r', extra: 1 })).toThrow(MediaChannelError);
    expect(() => parseCommand({ op: 'createRoom', room: '' })).toThrow(MediaChannelError);
    expect(() => parseEvent({ ev: 'reply', req: -1 })).toThrow(MediaChannelError);
    expect(() => parseEvent({ ev: 'trackPublished', room: 'r', peer: 'p', track: { id: 't', kind: 'screen', streamId: '', mid: '0', codec: null } })).toThrow(
      /track\.kind/,
    );
    expect(() => parseEvent('ready')).toThrow(MediaChannelError);
  });

  it('gives a ParleyError with code 0 naming the direction', () => {
    try {
      parseEvent({ ev: 'stats' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MediaChannelError);
      expect((error as MediaChannelError).code).toBe(0);
      expect((error as Error).message).toMatch(/^invalid media worker event: /);
    }
  });
});
