import { describe, expect, test } from 'vitest';
import { decodeServerFrame } from './decodeServerFrame.js';

describe('decodeServerFrame (envelope check of server frames)', () => {
  test('answers, error answers, protocol errors and sequenced events pass unchanged', () => {
    const frames = [
      { type: 'answer', re: 3, ok: true },
      { type: 'answer', re: 4, ok: true, data: { callId: 'c1' } },
      { type: 'answer', re: 5, ok: false, error: { code: 8, message: 'contact not found' } },
      { type: 'protocolError', error: { code: 9, message: 'bad frame' } },
      { type: 'contact.data', seq: 12, from: 'u1', content: { a: 1 } },
    ];
    for (const frame of frames) expect(decodeServerFrame(frame)).toBe(frame);
  });

  test('anything else is refused with a reason', () => {
    expect(decodeServerFrame(null)).toBe('not an object');
    expect(decodeServerFrame([1])).toBe('not an object');
    expect(decodeServerFrame('answer')).toBe('not an object');
    expect(decodeServerFrame({ re: 1, ok: true })).toBe('no type');
    expect(decodeServerFrame({ type: 'answer', ok: true })).toBe('answer without a request id');
    expect(decodeServerFrame({ type: 'answer', re: 1.5, ok: true })).toBe('answer without a request id');
    expect(decodeServerFrame({ type: 'answer', re: 1 })).toBe('answer without ok');
    expect(decodeServerFrame({ type: 'answer', re: 1, ok: false, error: { code: '8', message: 'x' } })).toBe('error answer without {code, message}');
    expect(decodeServerFrame({ type: 'protocolError' })).toBe('protocolError without {code, message}');
    expect(decodeServerFrame({ type: 'presence', joinedGroup: {} })).toBe('event presence without seq');
  });
});
