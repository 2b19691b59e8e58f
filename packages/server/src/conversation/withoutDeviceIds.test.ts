import { describe, expect, it } from 'vitest';
import { withoutDeviceIds } from './withoutDeviceIds.js';

describe('withoutDeviceIds', () => {
  it('drops deviceId and groupId at any depth and keeps everything else', () => {
    const value = { video: { deviceId: 'a', width: 1, advanced: [{ groupId: 'g', zoom: 2 }] }, audio: true, list: [1, 'x', null] };
    expect(withoutDeviceIds(value)).toEqual({ video: { width: 1, advanced: [{ zoom: 2 }] }, audio: true, list: [1, 'x', null] });
    expect(withoutDeviceIds('deviceId')).toBe('deviceId');
    expect(withoutDeviceIds(undefined)).toBeUndefined();
  });

  it('keeps a __proto__ key of parsed JSON an ordinary key', () => {
    const out = withoutDeviceIds(JSON.parse('{"__proto__":{"deviceId":"a","x":1}}')) as Record<string, unknown>;
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":1}}');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('refuses a value nested deeper than any settings object with code 9 instead of walking it', () => {
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(() => withoutDeviceIds(deep)).toThrow(expect.objectContaining({ code: 9 }));
  });
});
