import { describe, expect, test, vi } from 'vitest';
import { attachPublisher, replaceUserData, UserData, userDataBag } from './UserData.js';

describe('UserData', () => {
  test('keys are own enumerable properties; get() gives null when absent', () => {
    const data = new UserData({ username: 'alice' });
    expect(data['username']).toBe('alice');
    expect(data.get('username')).toBe('alice');
    expect(data.get('missing')).toBeNull();
    expect(Object.keys(data)).toEqual(['username']);
    expect(JSON.parse(JSON.stringify(data))).toEqual({ username: 'alice' });
  });

  test('setProp / setProps return the same object and merge', () => {
    const data = new UserData();
    expect(data.setProp('a', 1).setProps({ b: 2, c: 3 })).toBe(data);
    expect(userDataBag(data)).toEqual({ a: 1, b: 2, c: 3 });
  });

  test('setToSession publishes the bag through the attached session; warns above 1000 characters', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const data = new UserData({ a: 1 });
    const publish = vi.fn();
    attachPublisher(data, publish);
    data.setToSession();
    expect(publish).toHaveBeenCalledWith({ a: 1 });
    data.setProp('big', 'x'.repeat(1001)).setToSession();
    expect(publish).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  test('setToSession without a session only logs an error', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => new UserData({ a: 1 }).setToSession()).not.toThrow();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  test('replaceUserData keeps the object and replaces its keys', () => {
    const data = new UserData({ a: 1, b: 2 });
    replaceUserData(data, { c: 3 });
    expect(userDataBag(data)).toEqual({ c: 3 });
  });

  test('equals compares deeply', () => {
    expect(UserData.equals({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(UserData.equals({ a: 1 }, { a: 2 })).toBe(false);
    expect(UserData.equals({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(UserData.equals(null, null)).toBe(true);
  });
});
