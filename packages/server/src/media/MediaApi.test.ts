import { describe, expect, it } from 'vitest';
import type { MediaPlane, MediaRoom } from './MediaApi.js';
import { Sfu } from './Sfu.js';

describe('MediaApi', () => {
  it('is what the in-process SFU offers: the signalling layer drives it through the interface alone', () => {
    // Typed as the interface: this compiles only while Sfu/Room/Peer satisfy it.
    const plane: MediaPlane = new Sfu();
    const room: MediaRoom = plane.createRoom('room-1');
    const closedPeers: string[] = [];
    room.on('peerClosed', (peer) => closedPeers.push(peer.id));
    const peer = room.addPeer('alice');
    expect(room.getPeer('alice')).toBe(peer);
    expect(peer.publishedTracks).toEqual([]);
    expect(() => peer.subscribe('no-such-track')).toThrow(/unknown track/);
    expect(plane.rooms).toEqual([room]);
    plane.close();
    expect([plane.closed, room.closed, peer.closed]).toEqual([true, true, true]);
    expect(closedPeers).toEqual(['alice']);
  });
});
