import { describe, expect, it } from 'vitest';
import { leastLoaded } from './ConversationPlacement.js';

const load = (entries: [string, number][]): Map<string, { conversations: number }> => new Map(entries.map(([id, n]) => [id, { conversations: n }]));

describe('leastLoaded (conversation placement)', () => {
  it('picks the node with the fewest conversations', () => {
    expect(
      leastLoaded(
        load([
          ['a', 4],
          ['b', 1],
          ['c', 2],
        ]),
        'a',
      ),
    ).toBe('b');
  });

  it('keeps the conversation on this node on a tie (no proxy hop for its first participant)', () => {
    expect(
      leastLoaded(
        load([
          ['a', 2],
          ['b', 2],
        ]),
        'b',
      ),
    ).toBe('b');
    expect(
      leastLoaded(
        load([
          ['a', 0],
          ['b', 0],
          ['c', 0],
        ]),
        'c',
      ),
    ).toBe('c');
  });

  it('falls back on this node when no node is listed yet', () => {
    expect(leastLoaded(new Map(), 'self')).toBe('self');
  });

  it('ignores nodes that are not live (absent from the map), even this one', () => {
    expect(leastLoaded(load([['b', 7]]), 'a')).toBe('b');
  });

  it('places nothing on a draining node, this one included, unless no other node is live', () => {
    const nodes = new Map([
      ['a', { conversations: 0, draining: true }],
      ['b', { conversations: 5 }],
    ]);
    expect(leastLoaded(nodes, 'a')).toBe('b');
    expect(leastLoaded(nodes, 'b')).toBe('b');
    expect(leastLoaded(new Map([['a', { conversations: 0, draining: true }]]), 'a')).toBe('a');
  });
});
