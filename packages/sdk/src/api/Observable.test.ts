import { afterEach, beforeEach, describe, expect, test, vi, type MockInstance } from 'vitest';
import { EMIT, PARLEY_EVENTS } from './internal.js';
import { Observable } from './Observable.js';

interface Events {
  ping: number;
  extension: string;
  replayed: string;
  bare: undefined;
}

class Pinger extends Observable<Events> {
  static override getAvailableEvents(): string[] {
    return ['ping', 'replayed', 'bare'];
  }

  static override readonly [PARLEY_EVENTS]: readonly string[] = ['extension'];

  constructor() {
    super();
    this.bufferUntilFirstListener('replayed');
  }

  fire<K extends keyof Events>(name: K, ...payload: Events[K] extends undefined ? [] : [Events[K]]): void {
    this.emit(name, ...payload);
  }
}

describe('Observable', () => {
  let errors: MockInstance<typeof console.error>;
  beforeEach(() => {
    errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  test('Observable itself accepts no event', () => {
    expect(Observable.getAvailableEvents()).toEqual([]);
  });

  test('on() with an unknown name logs "No such event <name>", adds nothing and still returns this', () => {
    const p = new Pinger();
    const listener = vi.fn();
    expect(p.on('nope', listener)).toBe(p);
    p.fire('ping', 1);
    expect(listener).not.toHaveBeenCalled();
    expect(errors).toHaveBeenCalledWith('[Parley]', 'No such event nope');
  });

  test('a Parley extension event is accepted by on() without joining the apiRTC list', () => {
    const p = new Pinger();
    const listener = vi.fn();
    p.on('extension', listener);
    p.fire('extension', 'hi');
    expect(listener).toHaveBeenCalledWith('hi');
    expect(Pinger.getAvailableEvents()).not.toContain('extension');
    expect(errors).not.toHaveBeenCalled();
  });

  test('listeners run in registration order; on() chains; removeListener removes one', () => {
    const p = new Pinger();
    const calls: string[] = [];
    const a = (n: number): void => void calls.push(`a${n}`);
    const b = (n: number): void => void calls.push(`b${n}`);
    expect(p.on('ping', a).on('ping', b)).toBe(p);
    p.fire('ping', 1);
    expect(p.removeListener('ping', a)).toBe(p);
    p.fire('ping', 2);
    expect(calls).toEqual(['a1', 'b1', 'b2']);
  });

  test('a listener that throws is logged and the next listeners still run', () => {
    const p = new Pinger();
    const after = vi.fn();
    p.on('ping', () => {
      throw new Error('boom');
    });
    p.on('ping', after);
    expect(() => p.fire('ping', 7)).not.toThrow();
    expect(after).toHaveBeenCalledWith(7);
    expect(errors).toHaveBeenCalled();
  });

  test('events without payload call listeners with no argument', () => {
    const p = new Pinger();
    const listener = vi.fn();
    p.on('bare', listener);
    p.fire('bare');
    expect(listener).toHaveBeenCalledWith();
  });

  test('a replayable event emitted before any listener is delivered, in order, inside the first on()', () => {
    const p = new Pinger();
    p.fire('replayed', 'one');
    p.fire('replayed', 'two');
    const first = vi.fn();
    p.on('replayed', first);
    expect(first.mock.calls).toEqual([['one'], ['two']]);
    // Only the first listener gets the replay; later events reach everybody.
    const second = vi.fn();
    p.on('replayed', second);
    expect(second).not.toHaveBeenCalled();
    p.fire('replayed', 'three');
    expect(first).toHaveBeenLastCalledWith('three');
    expect(second).toHaveBeenCalledWith('three');
  });

  test('SDK code can emit through the EMIT symbol', () => {
    const p = new Pinger();
    const listener = vi.fn();
    p.on('ping', listener);
    p[EMIT]('ping', 3);
    expect(listener).toHaveBeenCalledWith(3);
  });
});
