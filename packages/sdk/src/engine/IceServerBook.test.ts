import { afterEach, describe, expect, it, vi } from 'vitest';
import { IceServerBook, turnUrlsOf } from './IceServerBook.js';

const turn = { urls: ['turn:turn.example.com:3478?transport=tcp'], username: '1700003600:alice', credential: 'c2VjcmV0' };
const stun = { urls: ['stun:turn.example.com:3478'] };

afterEach(() => {
  vi.useRealTimers();
});

describe('IceServerBook', () => {
  it('hands out what the server sent, as copies', () => {
    const book = new IceServerBook(() => Promise.resolve(undefined));
    expect(book.current).toEqual([]);
    book.update([stun, turn], undefined);
    const servers = book.current;
    expect(servers).toEqual([stun, turn]);
    (servers[0]?.urls as string[]).push('stun:other');
    expect(book.current[0]).toEqual(stun);
    book.close();
  });

  it('asks for fresh credentials when half their lifetime is gone, and uses them', async () => {
    vi.useFakeTimers();
    const fresh = { ...turn, username: '1700007200:alice', credential: 'bmV3' };
    const refresh = vi.fn(() => Promise.resolve({ iceServers: [fresh], expiresAt: Date.now() + 3_600_000 }));
    const book = new IceServerBook(refresh);
    book.update([turn], Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(1_799_000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(book.current).toEqual([fresh]);
    // …and schedules the next one from the new expiry.
    await vi.advanceTimersByTimeAsync(1_800_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    book.close();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('keeps the old servers when a refresh fails', async () => {
    vi.useFakeTimers();
    const book = new IceServerBook(() => Promise.reject(new Error('offline')));
    book.update([turn], Date.now() + 120_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(book.current).toEqual([turn]);
    book.close();
  });

  it('turnServerAddress replaces the TURN URLs, keeps the credentials and leaves STUN alone', () => {
    const book = new IceServerBook(() => Promise.resolve(undefined), 'relay.example.com');
    book.update([stun, turn], undefined);
    expect(book.current).toEqual([stun, { ...turn, urls: ['turn:relay.example.com:3478?transport=udp', 'turn:relay.example.com:3478?transport=tcp'] }]);
    book.close();
    expect(turnUrlsOf('turns:relay.example.com:443?transport=tcp')).toEqual(['turns:relay.example.com:443?transport=tcp']);
    expect(turnUrlsOf('198.51.100.1:5000')).toEqual(['turn:198.51.100.1:5000?transport=udp', 'turn:198.51.100.1:5000?transport=tcp']);
  });
});
