import { describe, expect, it } from 'vitest';
import type { PublishedTrack } from '../media/index.js';
import { Publication } from './Publication.js';

function track(kind: 'audio' | 'video', streamId: string, closed = false): PublishedTrack {
  return { kind, streamId, closed } as unknown as PublishedTrack;
}

const init = {
  streamId: 7,
  msid: 'ms-1',
  publisherId: 'alice',
  hasAudio: true,
  hasVideo: true,
  isAudioMuted: false,
  isVideoMuted: false,
  isScreensharing: false,
};

describe('Publication', () => {
  it('builds the descriptor with a numeric callId', () => {
    const p = new Publication({ ...init, context: { label: 'cam' } });
    const { msid: _msid, ...announced } = init;
    expect(p.descriptor).toStrictEqual({ ...announced, callId: p.callId, context: { label: 'cam' } });
    expect(p.callId).toMatch(/^[0-9]{12,16}$/);
    expect(new Publication(init).callId).not.toBe(p.callId);
    expect('context' in new Publication(init).descriptor).toBe(false);
  });

  it('attaches only live tracks of its msid and filters them by kind', () => {
    const p = new Publication(init);
    const audio = track('audio', 'ms-1');
    const video = track('video', 'ms-1');
    expect(p.hasMedia).toBe(false);
    expect(p.attach(track('video', 'other'))).toBe(false);
    expect(p.attach(track('video', 'ms-1', true))).toBe(false);
    expect(p.attach(audio)).toBe(true);
    expect(p.attach(video)).toBe(true);
    expect(p.tracksFor(true, false)).toEqual([audio]);
    expect(p.tracksFor(false, true)).toEqual([video]);
    expect(p.tracksFor(true, true)).toHaveLength(2);
    expect(p.detach(audio)).toBe(true);
    expect(p.detach(audio)).toBe(false);
    p.close();
    expect(p.hasMedia).toBe(false);
  });

  it('updates replace the descriptor object (events already built keep their content)', () => {
    const p = new Publication(init);
    const before = p.descriptor;
    const after = p.update({ hasAudio: true, hasVideo: false, isAudioMuted: true, isVideoMuted: false });
    expect(after).not.toBe(before);
    expect(before.hasVideo).toBe(true);
    expect(after).toMatchObject({ hasVideo: false, isAudioMuted: true, streamId: 7, callId: p.callId });
  });
});
