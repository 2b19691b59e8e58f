import { describe, expect, it } from 'vitest';
import { Sfu } from './Sfu.js';

describe('Sfu error sink', () => {
  it('listener exceptions of the SFU, its rooms and peers go to the sink it was given, per instance', () => {
    const mine: string[] = [];
    const other: string[] = [];
    const sfu = new Sfu({}, undefined, (_error, event) => mine.push(event));
    const unrelated = new Sfu({}, undefined, (_error, event) => other.push(event));
    const room = sfu.createRoom('r');
    const peer = room.addPeer('alice');
    const throwing = (): void => {
      throw new Error('listener bug');
    };
    peer.on('closed', throwing);
    room.on('closed', throwing);
    sfu.on('roomClosed', throwing);
    room.close(); // closes the peer; the SFU, still open, reports roomClosed
    sfu.close();
    unrelated.close();
    expect(mine.sort()).toEqual(['closed', 'closed', 'roomClosed']);
    expect(other).toEqual([]);
  });
});
