import type { UnsequencedEvent } from '@parley/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { UserSession } from '../session/UserSession.js';
import { fanOut } from './fanOut.js';

const limits = { replayEvents: 16, replayChars: 100_000, answerCache: 16 };
const session = (userId: string): UserSession =>
  new UserSession({ apiKey: 'k', userId, identified: false, resumeToken: `t-${userId}`, contactJson: '{}', limits });
const silent = pino({ level: 'silent' });

describe('fanOut', () => {
  it('drops an event that cannot be serialized instead of throwing', () => {
    const content: Record<string, unknown> = {};
    content.self = content;
    const a = session('a');
    const event = { type: 'conv.data', conversation: 'c', from: 'x', content } as UnsequencedEvent;
    expect(fanOut(event, [a], silent)).toBe(false);
    expect(a.lastSeq).toBe(0);
  });

  it('a recipient that throws does not stop the others', () => {
    const [a, bad, c] = [session('a'), session('bad'), session('c')];
    bad.sendTail = () => {
      throw new Error('boom');
    };
    const event = { type: 'conv.data', conversation: 'c', from: 'x', content: 1 } as UnsequencedEvent;
    expect(fanOut(event, [a, bad, c], silent)).toBe(true);
    expect([a.lastSeq, c.lastSeq]).toEqual([1, 1]);
  });
});
