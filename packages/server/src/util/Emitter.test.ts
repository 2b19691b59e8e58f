import { describe, expect, it } from 'vitest';
import { Emitter, type ListenerErrorSink } from './Emitter.js';

interface Events {
  ping: [n: number];
}

class Pinger extends Emitter<Events> {
  ping(n: number): void {
    this.emit('ping', n);
  }
}

describe('Emitter', () => {
  it('reports a throwing listener to its sink and still calls the others', () => {
    const reported: [unknown, string][] = [];
    const sink: ListenerErrorSink = (error, event) => reported.push([error, event]);
    const pinger = new Pinger(sink);
    const seen: number[] = [];
    const boom = new Error('boom');
    pinger.on('ping', () => {
      throw boom;
    });
    pinger.on('ping', (n) => seen.push(n));
    pinger.ping(1);
    expect(seen).toEqual([1]);
    expect(reported).toEqual([[boom, 'ping']]);
  });

  it('once listeners run once; off removes; listenerCount follows', () => {
    const pinger = new Pinger();
    const seen: number[] = [];
    const listener = (n: number): void => void seen.push(n);
    pinger.once('ping', (n) => seen.push(n * 10));
    pinger.on('ping', listener);
    expect(pinger.listenerCount('ping')).toBe(2);
    pinger.ping(1);
    pinger.off('ping', listener);
    pinger.ping(2);
    expect(seen).toEqual([10, 1]);
    expect(pinger.listenerCount('ping')).toBe(0);
  });
});
