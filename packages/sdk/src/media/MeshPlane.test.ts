import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { RequestBody } from '../util/messages.js';
import { MeshPlane } from './MeshPlane.js';

/** Just enough of RTCPeerConnection for the mesh plane's bookkeeping (no media in Node). */
class FakePc {
  static all: FakePc[] = [];
  inbound = { packetsLost: 0, packetsReceived: 0 };
  signalingState = 'stable';
  onicecandidate: unknown = null;
  ontrack: ((e: { streams: { id: string }[]; track: { kind: string } }) => void) | null = null;
  onnegotiationneeded: unknown = null;
  closed = false;
  constructor() {
    FakePc.all.push(this);
  }
  addEventListener(): void {}
  close(): void {
    this.closed = true;
  }
  async getStats(): Promise<Map<string, object>> {
    return new Map([['in', { type: 'inbound-rtp', ...this.inbound }]]);
  }
}

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

describe('MeshPlane', () => {
  let sent: RequestBody[];
  let plane: MeshPlane;
  beforeEach(() => {
    vi.useFakeTimers();
    FakePc.all = [];
    vi.stubGlobal('RTCPeerConnection', FakePc);
    vi.stubGlobal('MediaStream', FakeMediaStream);
    sent = [];
    // The conversation layer's port turns these into the same requests.
    plane = new MeshPlane({
      selfId: '5',
      signals: {
        publisherOffer: async () => '',
        subscriberAnswer: async () => undefined,
        candidate: () => undefined,
        meshSignal: (to, payload) => void sent.push({ type: 'mesh.signal', conversation: 'room', to, payload }),
        qualityReport: (lossRatio) => void sent.push({ type: 'conv.qualityReport', conversation: 'room', lossRatio }),
      },
      report: () => undefined,
      published: () => undefined,
    });
  });
  afterEach(() => {
    plane.close();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  test('subscriptions to one publisher are asked one at a time; a new msid belongs to the oldest request', async () => {
    const first = plane.subscribe(1, '9', { audio: true, video: true }, async () => undefined);
    const second = plane.subscribe(2, '9', { audio: false, video: true }, async () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    const asks = () => sent.filter((b) => b.type === 'mesh.signal').map((b) => (b as { payload: { kind: string; streamId?: number } }).payload);
    expect(asks()).toEqual([{ kind: 'subscribe', streamId: 1, audio: true, video: true }]);
    const pc = FakePc.all[0];
    pc?.ontrack?.({ streams: [{ id: 'msA' }], track: { kind: 'audio' } });
    pc?.ontrack?.({ streams: [{ id: 'msA' }], track: { kind: 'video' } });
    const ms1 = (await first) as unknown as FakeMediaStream;
    expect(ms1.getTracks().map((t) => t.kind)).toEqual(['audio', 'video']);
    expect(asks().at(-1)).toEqual({ kind: 'subscribe', streamId: 2, audio: false, video: true });
    pc?.ontrack?.({ streams: [{ id: 'msB' }], track: { kind: 'video' } });
    const ms2 = (await second) as unknown as FakeMediaStream;
    expect(ms2.getTracks().map((t) => t.kind)).toEqual(['video']);
    plane.unsubscribe(2, '9', false);
    expect(asks().at(-1)).toEqual({ kind: 'unsubscribe', streamId: 2 });
    plane.peerLeft('9');
    expect(pc?.closed).toBe(true);
  });

  test('every 5 s the received loss ratio of the interval is reported (nothing without packets)', async () => {
    void plane.subscribe(1, '9', { audio: true, video: false }, async () => undefined).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(5_000);
    const reports = () => sent.filter((b) => b.type === 'conv.qualityReport').map((b) => (b as { lossRatio: number }).lossRatio);
    expect(reports()).toEqual([]);
    const pc = FakePc.all[0];
    if (!pc) throw new Error('no pc');
    pc.inbound = { packetsLost: 10, packetsReceived: 90 };
    await vi.advanceTimersByTimeAsync(5_000);
    pc.inbound = { packetsLost: 10, packetsReceived: 190 };
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reports()).toEqual([0.1, 0]);
  });
});
