import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { SubscriberPc } from './SubscriberPc.js';

/** Just enough of RTCPeerConnection for the subscriber's negotiation (no media in Node). */
class FakePc {
  static all: FakePc[] = [];
  remoteDescription: { type: string; sdp: string } | null = null;
  localDescription: { type: string; sdp: string } | null = null;
  onicecandidate: unknown = null;
  ontrack: ((e: { streams: { id: string }[]; track: { kind: string; readyState?: string } }) => void) | null = null;
  closed = false;
  constructor() {
    FakePc.all.push(this);
  }
  addEventListener(): void {}
  async setRemoteDescription(d: { type: string; sdp: string }): Promise<void> {
    // A real PC refuses an offer from another server connection (other certificate, mids).
    if (this.remoteDescription && ufrag(this.remoteDescription.sdp) !== ufrag(d.sdp)) throw new Error('mismatch');
    this.remoteDescription = d;
  }
  async createAnswer(): Promise<{ type: string; sdp: string }> {
    return { type: 'answer', sdp: `answer to ${ufrag(this.remoteDescription!.sdp)}` };
  }
  async setLocalDescription(d: { type: string; sdp: string }): Promise<void> {
    this.localDescription = d;
  }
  async addIceCandidate(): Promise<void> {}
  close(): void {
    this.closed = true;
  }
}

const ufrag = (sdp: string) => /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
const offer = (u: string) => `v=0\r\na=ice-ufrag:${u}\r\n`;

class FakeMediaStream {
  readonly tracks: { kind: string }[] = [];
  getTracks() {
    return this.tracks;
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(t: { kind: string }) {
    this.tracks.push(t);
  }
  removeTrack(t: { kind: string }) {
    this.tracks.splice(this.tracks.indexOf(t), 1);
  }
}

describe('SubscriberPc', () => {
  beforeEach(() => {
    FakePc.all = [];
    vi.stubGlobal('RTCPeerConnection', FakePc);
    vi.stubGlobal('MediaStream', FakeMediaStream);
  });
  afterEach(() => vi.unstubAllGlobals());

  test('renegotiates on the same PC, and takes a new PC when the server offers from a new connection (failed one replaced)', async () => {
    const answers: string[] = [];
    const sub = new SubscriberPc({ answer: async (sdp) => answers.push(sdp), candidate: () => undefined }, () => undefined);
    await sub.onOffer(offer('one'), [{ streamId: 1, msid: 'ms1' }]);
    await sub.onOffer(offer('one'), []);
    expect(FakePc.all).toHaveLength(1);

    const ready = sub.expect(1, { audio: false, video: true }, 10_000);
    await sub.onOffer(offer('two'), [{ streamId: 1, msid: 'ms1' }]);
    expect(FakePc.all).toHaveLength(2);
    expect(FakePc.all[0]!.closed).toBe(true);
    expect(sub.pc).toBe(FakePc.all[1]);
    expect(answers).toEqual(['answer to one', 'answer to one', 'answer to two']);
    // The subscription waiting for media is served by the new PC.
    FakePc.all[1]!.ontrack?.({ streams: [{ id: 'ms1' }], track: { kind: 'video' } });
    expect(((await ready) as unknown as FakeMediaStream).getVideoTracks()).toHaveLength(1);
    sub.close();
  });

  test('a track whose msid its offer did not name is kept and given to the stream a later offer names', async () => {
    const sub = new SubscriberPc({ answer: async () => undefined, candidate: () => undefined }, () => undefined);
    const ready = sub.expect(7, { audio: true, video: true }, 10_000);
    // First offer: audio only, its stream list names nothing; the audio track arrives unnamed.
    await sub.onOffer(offer('one'), []);
    FakePc.all[0]!.ontrack?.({ streams: [{ id: 'ms7' }], track: { kind: 'audio', readyState: 'live' } });
    // Second offer: adds video and names the stream; only the video track fires.
    await sub.onOffer(offer('one'), [{ streamId: 7, msid: 'ms7' }]);
    FakePc.all[0]!.ontrack?.({ streams: [{ id: 'ms7' }], track: { kind: 'video', readyState: 'live' } });
    const ms = (await ready) as unknown as FakeMediaStream;
    expect(ms.getTracks().map((t) => t.kind)).toEqual(['audio', 'video']);
    sub.close();
  });
});
