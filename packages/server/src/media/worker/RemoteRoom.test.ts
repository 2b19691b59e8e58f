import { describe, expect, it } from 'vitest';
import type { MediaWorkerCommand } from './wire.js';
import { RemoteRoom, type RemoteRoomOwner } from './RemoteRoom.js';

/** A worker stand-in: records the commands, answers requests as told. */
function fakeWorker(max = 2) {
  const sent: MediaWorkerCommand[] = [];
  const requests: (MediaWorkerCommand & { req: number })[] = [];
  let closedRooms = 0;
  let ids = 0;
  const owner: RemoteRoomOwner = {
    maxSubscriptionsPerPeer: max,
    errorSink: (error) => {
      throw error;
    },
    send: (c) => sent.push(c),
    request: (c) => {
      requests.push(c);
      return Promise.resolve({ sdp: 'v=0 answer' });
    },
    nextRequestId: () => ++ids,
    nextCaptureId: () => `cap-${++ids}`,
    watchCapture: () => undefined,
    roomClosed: () => closedRooms++,
  };
  return { owner, sent, requests, closedRooms: () => closedRooms };
}

const video = (id: string) => ({ id, kind: 'video' as const, streamId: `ms-${id}`, mid: '0', codec: 'VP8', layers: 1 });

describe('RemoteRoom / RemotePeer (main-process proxies of a worker room)', () => {
  it('sends the commands the SFU calls map to, and checks what needs no media synchronously', async () => {
    const w = fakeWorker();
    const room = new RemoteRoom(w.owner, 'room-1', 0);
    const alice = room.addPeer('alice');
    const bob = room.addPeer('bob');
    expect(() => room.addPeer('bob')).toThrow(/already in room/);
    const published: string[] = [];
    room.on('trackPublished', (track, peer) => published.push(`${peer.id}:${track.id}`));
    room.handleEvent({ ev: 'trackPublished', room: 'room-1', peer: 'alice', track: video('t1') });
    expect(published).toEqual(['alice:t1']);
    expect(alice.publishedTracks.map((t) => t.id)).toEqual(['t1']);

    expect(() => alice.subscribe('t1')).toThrow(/own track/);
    expect(() => bob.subscribe('nope')).toThrow(/unknown track/);
    const forwarded = bob.subscribe('t1');
    expect(bob.subscribe('t1')).toBe(forwarded);
    // Not described by the worker yet, it already names its stream (the msid of the offers'
    // stream lists): the source's, as the worker's own ForwardedTrack does.
    expect(forwarded.streamId).toBe('ms-t1');
    expect(forwarded.source).toBe(room.tracks[0]);

    // The worker's offer describes the subscription: the proxy takes its ids before the event.
    const offers: string[] = [];
    bob.on('subscriberSdp', () => offers.push(`${bob.subscriptions[0]?.id}/${bob.subscriptions[0]?.streamId}`));
    room.handleEvent({
      ev: 'subscriberSdp',
      room: 'room-1',
      peer: 'bob',
      sdp: 'v=0 offer',
      subscriptions: [{ id: 'fwd-1', source: 't1', kind: 'video', mid: '0', streamId: 'fwd-ms' }],
    });
    expect(offers).toEqual(['fwd-1/fwd-ms']);

    await expect(alice.handlePublisherOffer('v=0 offer', 5000)).resolves.toEqual({ sdp: 'v=0 answer' });
    expect(w.requests).toEqual([{ op: 'publisherOffer', req: 1, room: 'room-1', peer: 'alice', sdp: 'v=0 offer', timeoutMs: 5000 }]);
    expect(w.sent.map((c) => c.op)).toEqual(['createRoom', 'addPeer', 'addPeer', 'subscribe']);
  });

  it('simulcast: the offer carries its groups, a preferred layer goes to the worker, layer changes come back', async () => {
    const w = fakeWorker();
    const room = new RemoteRoom(w.owner, 'room-1', 0);
    const alice = room.addPeer('alice');
    const bob = room.addPeer('bob');
    await alice.handlePublisherOffer('v=0 offer', undefined, [['2', '1', '0']]);
    expect(w.requests[0]).toMatchObject({ op: 'publisherOffer', simulcast: [['2', '1', '0']] });
    room.handleEvent({ ev: 'trackPublished', room: 'room-1', peer: 'alice', track: { ...video('t1'), layers: 3 } });
    const forwarded = bob.subscribe('t1');
    expect(forwarded.layerCount).toBe(3);
    forwarded.setPreferredLayer(7); // clamped to the top layer
    forwarded.setPreferredLayer(0);
    expect(w.sent.filter((c) => c.op === 'preferLayer')).toEqual([
      { op: 'preferLayer', room: 'room-1', peer: 'bob', track: 't1', layer: 2 },
      { op: 'preferLayer', room: 'room-1', peer: 'bob', track: 't1', layer: 0 },
    ]);
    const layers: number[] = [];
    forwarded.on('layerChanged', (layer) => layers.push(layer));
    room.handleEvent({ ev: 'layerChanged', room: 'room-1', peer: 'bob', source: 't1', layer: 1 });
    expect(layers).toEqual([1]);
    // Without simulcast nothing crosses the channel.
    room.handleEvent({ ev: 'trackPublished', room: 'room-1', peer: 'alice', track: video('t2') });
    bob.subscribe('t2').setPreferredLayer(0);
    expect(w.sent.filter((c) => c.op === 'preferLayer')).toHaveLength(2);
  });

  it('ends subscriptions the worker ended, and treats a refused subscription as a failed subscriber connection', () => {
    const w = fakeWorker(1);
    const room = new RemoteRoom(w.owner, 'room-1', 0);
    room.addPeer('alice');
    const bob = room.addPeer('bob');
    room.handleEvent({ ev: 'trackPublished', room: 'room-1', peer: 'alice', track: video('t1') });
    room.handleEvent({ ev: 'trackPublished', room: 'room-1', peer: 'alice', track: video('t2') });
    const first = bob.subscribe('t1');
    expect(() => bob.subscribe('t2')).toThrow(/1 subscriptions, the most allowed/);
    room.handleEvent({ ev: 'subscriptionEnded', room: 'room-1', peer: 'bob', source: 't1' });
    expect([first.closed, bob.subscriptions.length]).toEqual([true, 0]);

    const failures: string[] = [];
    bob.on('transportFailed', (transport, reason) => failures.push(`${transport}: ${reason}`));
    bob.subscribe('t2');
    room.handleEvent({
      ev: 'refused',
      op: 'subscribe',
      room: 'room-1',
      peer: 'bob',
      track: 't2',
      code: 0,
      message: 'not enough bandwidth: no free media port',
    });
    expect(failures).toEqual(['subscriber: not enough bandwidth: no free media port']);
    expect(bob.subscriptions).toEqual([]);
    // Unsubscribing what is gone is a no-op, not a command.
    expect(bob.unsubscribe('t2')).toBe(false);
    expect(w.sent.filter((c) => c.op === 'unsubscribe')).toEqual([]);
  });

  it('a lost worker ends the room here: tracks unpublished, peers closed, room closed, nothing sent', () => {
    const w = fakeWorker();
    const room = new RemoteRoom(w.owner, 'room-1', 0);
    const alice = room.addPeer('alice');
    const bob = room.addPeer('bob');
    room.handleEvent({ ev: 'trackPublished', room: 'room-1', peer: 'alice', track: video('t1') });
    const forwarded = bob.subscribe('t1');
    const events: string[] = [];
    room.on('trackUnpublished', (track) => events.push(`unpublished ${track.id}`));
    room.on('peerClosed', (peer) => events.push(`peer ${peer.id}`));
    room.on('closed', () => events.push('closed'));
    const sentBefore = w.sent.length;
    room.lost();
    room.lost();
    expect(events).toEqual(['unpublished t1', 'peer alice', 'peer bob', 'closed']);
    expect([room.closed, alice.closed, bob.closed, forwarded.closed, w.closedRooms()]).toEqual([true, true, true, true, 1]);
    expect(w.sent.length).toBe(sentBefore);
    expect(() => room.addPeer('carol')).toThrow(/closed/);
    expect(() => alice.handlePublisherOffer('v=0')).toThrow(/closed/);
  });

  it("re-emits the worker room's dominant speaker with its proxies, ignoring unknown tracks", () => {
    const w = fakeWorker();
    const room = new RemoteRoom(w.owner, 'room-1', 0);
    room.addPeer('alice');
    room.addPeer('bob');
    const audio = { id: 'a1', kind: 'audio' as const, streamId: 'ms-a', mid: '0', codec: 'opus', layers: 1 };
    room.handleEvent({ ev: 'trackPublished', room: 'room-1', peer: 'alice', track: audio });
    const speakers: string[] = [];
    room.on('dominantSpeakerChanged', (track, peer) => speakers.push(`${peer.id}:${track.id}:${track.streamId}`));
    room.handleEvent({ ev: 'dominantSpeakerChanged', room: 'room-1', peer: 'alice', track: 'a1' });
    room.handleEvent({ ev: 'dominantSpeakerChanged', room: 'room-1', peer: 'bob', track: 'gone' });
    expect(speakers).toEqual(['alice:a1:ms-a']);
  });
});
