import type { ClientMessage } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CONVERSATION_STATUS_JOINED, CONVERSATION_STATUS_JOINING, CONVERSATION_STATUS_NOT_JOINED } from '../constants.js';
import { mediaPlanes, type MediaPlane } from '../media/MediaPlane.js';
import { runtime } from '../runtime.js';
import { FakeServer } from '../testing/FakeServer.js';
import type { Conversation, StreamInfo } from './Conversation.js';
import type { Session } from './Session.js';
import { createLocalStream, type Stream } from './Stream.js';
import { UserAgent } from './UserAgent.js';

const flush = async (ms = 0): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms + 50);
};

/** Minimal MediaStreamTrack / MediaStream stand-ins (Node has no media). */
function fakeTrack(kind: 'audio' | 'video', extra: Record<string, unknown> = {}) {
  let settings: Record<string, unknown> = { ...(kind === 'video' ? { width: 640, height: 480, frameRate: 30 } : { sampleRate: 48000 }), ...extra };
  return {
    kind,
    id: `${kind}-${Math.random()}`,
    enabled: true,
    muted: false,
    readyState: 'live',
    label: kind,
    addEventListener: () => undefined,
    stop: () => undefined,
    getSettings: () => settings,
    getConstraints: () => ({}),
    getCapabilities: () => ({}),
    applyConstraints: async (c: Record<string, unknown>) => {
      settings = { ...settings, ...c };
    },
  };
}
function fakeMediaStream(kinds: { audio: boolean; video: boolean } = { audio: true, video: true }, extra: Record<string, unknown> = {}): MediaStream {
  const tracks = [...(kinds.audio ? [fakeTrack('audio', extra)] : []), ...(kinds.video ? [fakeTrack('video', extra)] : [])];
  return {
    id: `ms-${Math.random()}`,
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
    removeTrack: () => undefined,
  } as unknown as MediaStream;
}

/** Media planes replaced by a recorder: media is "up" at once. */
const planes: { mode: string; calls: string[] }[] = [];
function installFakePlanes(): void {
  mediaPlanes.create = (mode) => {
    const rec = { mode, calls: [] as string[] };
    planes.push(rec);
    const plane: MediaPlane = {
      mode,
      publish: async (m) => void rec.calls.push(`publish ${m.streamId}`),
      unpublish: async (m) => void rec.calls.push(`unpublish ${m.streamId}`),
      replace: async (_old, m) => void rec.calls.push(`replace ${m.streamId}`),
      subscribe: async (id, _p, kinds, announce) => {
        rec.calls.push(`subscribe ${id}`);
        await announce();
        return fakeMediaStream(kinds);
      },
      unsubscribe: (id) => void rec.calls.push(`unsubscribe ${id}`),
      onEvent: (e) => void rec.calls.push(`event ${e.type}`),
      peerLeft: (id) => void rec.calls.push(`peerLeft ${id}`),
      connections: () => [],
      close: () => void rec.calls.push('close'),
    };
    return plane;
  };
}

const desc = (streamId: number, publisherId: string, extra: object = {}) => ({
  streamId,
  callId: String(streamId + 1),
  publisherId,
  hasAudio: true,
  hasVideo: true,
  isAudioMuted: false,
  isVideoMuted: false,
  isScreensharing: false,
  ...extra,
});

describe('Conversation over a fake server', () => {
  let server: FakeServer;
  let session: Session;
  const original = mediaPlanes.create;

  beforeEach(async () => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    planes.length = 0;
    installFakePlanes();
    server = new FakeServer();
    server.snapshot = { default: [] };
    server.respond = (m: ClientMessage) => {
      if (m.type === 'conv.join') return { data: { mode: 'sfu', meshOnly: false } };
      if (m.type === 'conv.publish') return { data: { callId: '555' } };
      if (m.type === 'conv.message') return { data: { uuid: 42 } };
      return undefined;
    };
    vi.stubGlobal('WebSocket', server.WebSocket);
    vi.stubGlobal('fetch', server.fetch);
    const ua = new UserAgent({ uri: 'apiKey:key' });
    const pending = ua.register({ cloudUrl: 'http://parley.test' });
    await flush();
    session = await pending;
  });
  afterEach(() => {
    mediaPlanes.create = original;
    runtime.userAgentInstance = undefined;
    runtime.legacySession.apiCCId = null;
    vi.unstubAllGlobals();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  async function joined(name = 'room', opts = {}): Promise<Conversation> {
    const c = session.getOrCreateConversation(name, opts);
    const p = c.join();
    await flush();
    await p;
    return c;
  }

  function push(conversation: string, event: object): void {
    server.push({ conversation, ...event } as never);
  }

  test('join: NOT_JOINED → JOINING → JOINED, joined before the promise, {} in SFU; members announced after; errors', async () => {
    const c = session.getOrCreateConversation('room');
    server.push({ type: 'presence', joinedGroup: {}, leftGroup: {}, userDataChanged: [], joinedConversation: { room: [{ id: '7', userData: {} }] } });
    await flush();
    const order: string[] = [];
    c.on('joined', () => order.push('joined'));
    c.on('contactJoined', (ct) => order.push(`contactJoined ${ct.getId()}`));
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_NOT_JOINED);
    const p = c.join().then((r) => order.push(`resolved ${JSON.stringify(r)}`));
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_JOINING);
    await expect(c.join()).rejects.toMatchObject({ code: 0, error: new Error('join() - cannot join conversation') });
    await flush();
    await p;
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_JOINED);
    expect(c.isJoined()).toBe(true);
    expect(order).toEqual(['joined', 'resolved {}', 'contactJoined 7']);
    expect(server.of('conv.join')[0]).toMatchObject({ conversation: 'room', meshModeEnabled: false, meshOnlyEnabled: false });
    expect(c.getContacts()['7']).toBe(session.getOrCreateContact('7'));
    expect(c.getContactsNumber()).toBe(1);

    server.push({ type: 'presence', joinedGroup: {}, leftGroup: {}, userDataChanged: [], joinedConversation: { room: [{ id: '8', userData: {} }] } });
    await flush();
    server.push({ type: 'presence', joinedGroup: {}, leftGroup: {}, userDataChanged: [], leftConversation: { room: ['7'] } });
    const left: string[] = [];
    c.on('contactLeft', (ct) => left.push(ct.getId()));
    await flush();
    expect(order.at(-1)).toBe('contactJoined 8');
    expect(left).toEqual(['7']);
    expect(c.getContactsArray().map((x) => x.getId())).toEqual(['8']);

    server.respond = () => ({ error: { code: 4, message: 'not allowed' } });
    const other = session.getOrCreateConversation('other');
    const refused = expect(other.join()).rejects.toMatchObject({ code: 4, error: new Error('join() - not allowed') });
    await flush();
    await refused;
    expect(other.getStatus()).toBe(CONVERSATION_STATUS_NOT_JOINED);
  });

  test('a presence group named like the conversation is another group: its members are no conversation contacts', async () => {
    const c = await joined('room');
    const joinedIds: string[] = [];
    c.on('contactJoined', (ct) => joinedIds.push(ct.getId()));
    const updates: object[] = [];
    session.on('contactListUpdate', (u: { joinedGroup: Record<string, { getId(): string }[]> }) => {
      updates.push(Object.fromEntries(Object.entries(u.joinedGroup).map(([g, list]) => [g, list.map((x) => x.getId())])));
    });
    server.push({ type: 'presence', joinedGroup: { room: [{ id: '9', userData: {} }] }, leftGroup: {}, userDataChanged: [] });
    await flush();
    expect(joinedIds).toEqual([]);
    expect(c.getContactsNumber()).toBe(0);
    server.push({ type: 'presence', joinedGroup: {}, leftGroup: {}, userDataChanged: [], joinedConversation: { room: [{ id: '7', userData: {} }] } });
    await flush();
    expect(joinedIds).toEqual(['7']);
    // docs/sdk-reference.md#conversation-membership: Session contactListUpdate still reports the conversation as the group of its name.
    expect(updates).toEqual([{ room: ['9'] }, { room: ['7'] }]);
    expect(
      session
        .getContactsArray('room')
        .map((x) => x.getId())
        .sort(),
    ).toEqual(['7', '9']);
    // Leaving the group leaves the conversation contact alone.
    server.push({ type: 'presence', joinedGroup: {}, leftGroup: { room: ['9'] }, userDataChanged: [] });
    await flush();
    expect(c.getContactsArray().map((x) => x.getId())).toEqual(['7']);
  });

  test('mesh join resolves {mode:"mesh"} (+ meshOnly)', async () => {
    server.respond = (m) => (m.type === 'conv.join' ? { data: { mode: 'mesh', meshOnly: m.meshOnlyEnabled } } : undefined);
    const c = session.getOrCreateConversation('m1', { meshModeEnabled: true });
    const p1 = c.join();
    await flush();
    expect(await p1).toEqual({ mode: 'mesh' });
    expect(planes.at(-1)?.mode).toBe('mesh');
    const c2 = session.getOrCreateConversation('m2', { meshModeEnabled: true, meshOnlyEnabled: true });
    const p2 = c2.join();
    await flush();
    expect(await p2).toEqual({ mode: 'mesh', meshOnly: true });
  });

  test('documented errors when not joined / unknown stream / already published', async () => {
    const c = session.getOrCreateConversation('room');
    const stream = createLocalStream(fakeMediaStream());
    await expect(c.publish(stream)).rejects.toMatchObject({ code: 0, error: new Error('publish() - conversation not joined') });
    await expect(c.subscribeToStream(1)).rejects.toMatchObject({ code: 0, error: new Error('subscribeToMedia() - conversation not joined') });
    await expect(c.leave()).rejects.toMatchObject({ code: 16, error: new Error('leave() - webconf not joined') });
    await expect(c.sendMessage('hi')).rejects.toMatchObject({ code: 16, error: new Error('sendMessage() - group chat not joined') });
    await expect(c.sendData({})).rejects.toMatchObject({ code: 0, error: new Error('sendData() - cannot send data') });
    const p = c.join();
    await flush();
    await p;
    await expect(c.subscribeToStream('99')).rejects.toMatchObject({ code: 0, error: new Error('subscribeToMedia() - no such stream') });
    await expect(c.publish(undefined as unknown as Stream)).rejects.toMatchObject({ code: 0, error: new Error('publish() - No stream specified') });
    await expect(c.sendMessage('')).rejects.toMatchObject({ code: 9, error: new Error('sendMessage() - message parameter is empty') });
    const first = c.publish(stream);
    await flush();
    expect(await first).toBe(stream);
    await expect(c.publish(stream)).rejects.toMatchObject({ code: 0, error: new Error('publish() - Stream is already published in this conversation!') });
    await expect(c.replacePublishedStream(createLocalStream(fakeMediaStream()))).rejects.toEqual(new Error('CALL_NOT_FOUND'));
  });

  test('streamListChanged is buffered until the first listener; StreamInfo fields; own streams isRemote:false', async () => {
    const c = await joined();
    push('room', { type: 'conv.stream', change: 'added', stream: desc(100, '7', { isScreensharing: true, context: { label: 'screen' } }) });
    push('room', { type: 'conv.stream', change: 'added', stream: desc(200, session.getId(), { hasAudio: false, isAudioMuted: true }) });
    await flush();
    const seen: StreamInfo[] = [];
    c.on('streamListChanged', (i) => seen.push(i));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({
      streamId: 100,
      listEventType: 'added',
      isRemote: true,
      contact: session.getOrCreateContact('7'),
      type: 'regular',
      callId: '101',
      hasAudio: true,
      hasVideo: true,
      isAudioMuted: false,
      isVideoMuted: false,
      isScreensharing: true,
      context: { label: 'screen' },
    });
    expect(seen[1]).toMatchObject({ streamId: 200, isRemote: false, hasAudio: false, isAudioMuted: true });
    expect(seen[1]?.contact.getId()).toBe(session.getId());
    expect(c.getAvailableStreamList().map((i) => i.streamId)).toEqual([100, 200]);
    expect(c.getAvailableMediaList()).toHaveLength(2);
    expect(c.getStreamInfo('100')?.contact).toBe(session.getOrCreateContact('7'));
    expect(c.getStreamInfo(100)?.listEventType).toBeUndefined();
    const all: object[] = [];
    c.on('availableStreamsUpdated', (x) => all.push(x as object));
    push('room', { type: 'conv.stream', change: 'removed', stream: desc(100, '7') });
    await flush();
    expect(seen.at(-1)).toMatchObject({ streamId: 100, listEventType: 'removed' });
    expect(Object.keys(all.at(-1) ?? {})).toEqual(['200']);
    expect(c.getStreamInfo(100)).toBeUndefined();
  });

  test('a camera turned on while the publication connects is announced once the media is up', async () => {
    const create = mediaPlanes.create;
    let connected: () => void = () => undefined;
    mediaPlanes.create = (mode, ...rest) => {
      const plane = create(mode, ...rest);
      return { ...plane, publish: (m) => new Promise<void>((resolve) => (connected = resolve)).then(() => plane.publish(m)) };
    };
    const c = await joined();
    const stream = createLocalStream(fakeMediaStream());
    await stream.disableVideo();
    const p = c.publish(stream);
    await flush();
    expect(server.of('conv.publish')[0]).toMatchObject({ isVideoMuted: true });
    await stream.enableVideo();
    connected();
    await flush();
    expect(await p).toBe(stream);
    expect(server.of('conv.updateStream')).toEqual([expect.objectContaining({ streamId: stream.streamId, isVideoMuted: false, isAudioMuted: false })]);
  });

  test('publish announces the stream, resolves the same Stream; ConversationCall; enable/disable → conv.updateStream + localStreamUpdated; unpublish', async () => {
    const c = await joined();
    const stream = createLocalStream(fakeMediaStream());
    const p = c.publish(stream, { context: { role: 'cam' } });
    await flush();
    expect(await p).toBe(stream);
    expect(server.of('conv.publish')[0]).toMatchObject({
      conversation: 'room',
      streamId: stream.streamId,
      msid: stream.data?.id,
      hasAudio: true,
      hasVideo: true,
      isAudioMuted: false,
      isVideoMuted: false,
      isScreensharing: false,
      context: { role: 'cam' },
    });
    expect(planes[0]?.calls).toContain(`publish ${stream.streamId}`);
    expect(c.isPublishedStream(stream)).toBe(true);
    const call = c.getConversationCall(stream);
    expect(call?.getCallId()).toBe('555');
    expect(call?.getStream()).toBe(stream);
    expect(call?.getConversation()).toBe(c);
    expect(stream.getConversations()).toEqual([c]);
    const updates: object[] = [];
    c.on('localStreamUpdated', (u) => updates.push(u as object));
    await stream.disableVideo();
    await flush();
    expect(server.of('conv.updateStream').at(-1)).toMatchObject({
      streamId: stream.streamId,
      hasAudio: true,
      hasVideo: true,
      isAudioMuted: false,
      isVideoMuted: true,
    });
    expect(updates).toEqual([{ callId: '555', streamId: stream.streamId, audio: true, audioMuted: false, video: true, videoMuted: true, cause: 'userAction' }]);
    await stream.applyConstraints({ video: { frameRate: 10 } });
    await flush();
    expect(server.of('conv.constraintsChanged').at(-1)).toMatchObject({ streamId: stream.streamId, constraints: { video: { frameRate: 10 } } });

    const fresh = createLocalStream(fakeMediaStream());
    const replaced = c.replacePublishedStream(stream, fresh);
    await flush();
    expect(await replaced).toBe(fresh);
    expect(c.isPublishedStream(fresh)).toBe(true);
    expect(c.isPublishedStream(stream)).toBe(false);

    c.unpublish(fresh);
    await flush();
    expect(server.of('conv.unpublish').at(-1)).toMatchObject({ streamId: stream.streamId });
    expect(c.isPublishedStream(fresh)).toBe(false);
    expect(fresh.getConversations()).toEqual([]);
  });

  test('where a stream is published: callId, publishedInConversations and getConversations follow publish, replace, unpublish and leave', async () => {
    server.respond = (m: ClientMessage) => {
      if (m.type === 'conv.join') return { data: { mode: 'sfu', meshOnly: false } };
      if (m.type === 'conv.publish') return { data: { callId: m.conversation === 'a' ? '101' : '102' } };
      return undefined;
    };
    const a = await joined('a');
    const b = await joined('b');
    const stream = createLocalStream(fakeMediaStream());
    expect(stream.callId).toBe(null);
    const pa = a.publish(stream);
    await flush();
    await pa;
    const pb = b.publish(stream);
    await flush();
    await pb;
    expect(stream.callId).toBe('102');
    expect([...stream.publishedInConversations]).toEqual([
      ['a', '101'],
      ['b', '102'],
    ]);
    expect(stream.getConversations()).toEqual([a, b]);

    const fresh = createLocalStream(fakeMediaStream());
    const replaced = b.replacePublishedStream(stream, fresh);
    await flush();
    await replaced;
    expect([...stream.publishedInConversations]).toEqual([['a', '101']]);
    expect(stream.callId).toBe('101');
    expect(fresh.callId).toBe('102');
    expect(fresh.getConversations()).toEqual([b]);

    a.unpublish(stream);
    await flush();
    expect(stream.callId).toBe(null);
    expect(stream.getConversations()).toEqual([]);
    const left = b.leave();
    await flush();
    await left;
    expect(fresh.callId).toBe(null);
    expect(fresh.publishedInConversations.size).toBe(0);
    expect(b.isPublishedStream(fresh)).toBe(false);
  });

  test('subscribe: resolves the streamAdded Stream; updates; publisher unpublish → streamRemoved + hangup; unsubscribe', async () => {
    const c = await joined();
    push('room', { type: 'conv.stream', change: 'added', stream: desc(100, '7') });
    push('room', { type: 'conv.stream', change: 'added', stream: desc(300, '7', { hasVideo: false, isVideoMuted: true }) });
    await flush();
    const added: Stream[] = [];
    const removed: Stream[] = [];
    const hangups: object[] = [];
    c.on('streamAdded', (s) => added.push(s))
      .on('streamRemoved', (s) => removed.push(s))
      .on('hangup', (h) => hangups.push(h as object));
    const p = c.subscribeToStream('100', {});
    await flush();
    const remote = await p;
    expect(added).toEqual([remote]);
    expect(remote.isRemote).toBe(true);
    expect(remote.streamId).toBe(100);
    expect(remote.callId).toBe('101');
    expect(remote.getContact()).toBe(session.getOrCreateContact('7'));
    expect(remote.isVideoEnabled()).toBe(true);
    expect(c.getSubscribedStream(100)).toBe(remote);
    expect(server.of('conv.subscribe')[0]).toMatchObject({ streamId: 100, audio: true, video: true });
    expect(await c.subscribeToStream(100)).toBe(remote);

    const flows: object[] = [];
    const remoteUpdates: object[] = [];
    remote.on('remoteVideoFlowStatusChanged', (f) => flows.push(f));
    c.on('remoteStreamUpdated', (u) => remoteUpdates.push(u as object));
    push('room', { type: 'conv.stream', change: 'updated', stream: desc(100, '7', { isVideoMuted: true }) });
    await flush();
    expect(flows).toEqual([{ enabled: false, muted: false }]);
    expect(remote.isVideoEnabled()).toBe(false);
    expect(remoteUpdates).toEqual([{ callId: '101', streamId: 100, audio: true, audioMuted: false, video: true, videoMuted: true, cause: 'userAction' }]);
    expect(c.getStreamInfo(100)?.isVideoMuted).toBe(true);

    const constraints: object[] = [];
    remote.on('constraintsChanged', (x) => constraints.push(x));
    push('room', { type: 'conv.constraintsChanged', streamId: 100, constraints: { video: { frameRate: 10 } } });
    await flush();
    expect(constraints).toEqual([{ video: { frameRate: 10 } }]);

    push('room', { type: 'conv.stream', change: 'removed', stream: desc(100, '7') });
    push('room', { type: 'conv.subscriptionEnded', streamId: 100, reason: 'unpublished' });
    await flush();
    expect(removed).toEqual([remote]);
    expect(hangups).toEqual([{ from: 'remote', reason: 'unpublished', streamId: 100 }]);

    const audioOnly = c.subscribeToStream(300);
    await flush();
    const s300 = await audioOnly;
    expect(s300.hasVideo()).toBe(false);
    expect(server.of('conv.subscribe').at(-1)).toMatchObject({ streamId: 300, audio: true, video: false });
    c.unsubscribeToStream(300);
    await flush();
    expect(removed.at(-1)).toBe(s300);
    expect(server.of('conv.unsubscribe').at(-1)).toMatchObject({ streamId: 300 });
    expect(hangups).toHaveLength(1);
  });

  test('relay: remote requests go to conv.relay; the publisher answers conv.relayRequest without app code', async () => {
    const c = await joined();
    push('room', { type: 'conv.stream', change: 'added', stream: desc(100, '7') });
    await flush();
    const p = c.subscribeToStream(100);
    await flush();
    const remote = await p;
    server.respond = (m) => {
      if (m.type === 'conv.relay' && m.action === 'getSettings') return { data: { result: { video: { frameRate: 10 } } } };
      if (m.type === 'conv.relay' && m.action === 'applyConstraints') return { data: {} };
      if (m.type === 'conv.relay') return { error: { code: 0, message: 'OverconstrainedError' } };
      return undefined;
    };
    const settings = remote.getSettings();
    await flush();
    expect(await settings).toEqual({ video: { frameRate: 10 } });
    const applied = remote.applyConstraints({ video: { frameRate: 10 } });
    await flush();
    await expect(applied).resolves.toBeUndefined();
    expect(server.of('conv.relay').at(-1)).toMatchObject({ streamId: 100, action: 'applyConstraints', args: { video: { frameRate: 10 } } });
    const failing = remote.getCapabilities();
    const failed = expect(failing).rejects.toThrow(/OverconstrainedError/);
    await flush();
    await failed;
    const disabled = expect(remote.disableVideo(true)).rejects.toThrow(Error);
    await flush();
    await disabled;
    // Local-only disable of a remote stream sends nothing.
    const relays = server.of('conv.relay').length;
    await remote.disableAudio();
    expect(server.of('conv.relay').length).toBe(relays);

    // Publisher side.
    server.respond = (m) => (m.type === 'conv.publish' ? { data: { callId: '9' } } : undefined);
    const local = createLocalStream(fakeMediaStream());
    const pub = c.publish(local);
    await flush();
    await pub;
    const changed: object[] = [];
    local.on('constraintsChanged', (x) => changed.push(x));
    push('room', {
      type: 'conv.relayRequest',
      relayId: 3,
      from: '7',
      streamId: local.streamId,
      action: 'applyConstraints',
      args: { video: { frameRate: 10 } },
    });
    push('room', { type: 'conv.relayRequest', relayId: 4, from: '7', streamId: local.streamId, action: 'getSettings' });
    push('room', { type: 'conv.relayRequest', relayId: 5, from: '7', streamId: 12345, action: 'getSettings' });
    push('room', { type: 'conv.relayRequest', relayId: 6, from: '7', streamId: local.streamId, action: 'disableAudio' });
    await flush();
    const answers = server.of('conv.relayAnswer');
    expect(answers.find((a) => a.relayId === 3)).toMatchObject({ ok: true });
    expect(changed).toEqual([{ video: { frameRate: 10 } }]);
    expect(answers.find((a) => a.relayId === 4)).toMatchObject({ ok: true, result: { video: { frameRate: 10 } } });
    expect(answers.find((a) => a.relayId === 5)).toMatchObject({ ok: false, error: 'no such stream' });
    expect(answers.find((a) => a.relayId === 6)).toMatchObject({ ok: true });
    expect(local.isAudioEnabled()).toBe(false);
    expect(server.of('conv.updateStream').at(-1)).toMatchObject({ isAudioMuted: true });
    expect(server.of('conv.constraintsChanged').at(-1)).toMatchObject({ streamId: local.streamId });
  });

  test('publisher side of the relay: no remote unmute without remoteUnmuteEnabled, device ids never leave', async () => {
    const c = await joined();
    server.respond = (m) => (m.type === 'conv.publish' ? { data: { callId: '9' } } : undefined);
    const devices = { deviceId: 'cam-secret', groupId: 'group-secret' };
    const local = createLocalStream(fakeMediaStream({ audio: true, video: true }, devices));
    const pub = c.publish(local);
    await flush();
    await pub;
    expect(server.of('conv.publish').at(-1)).toMatchObject({ remoteUnmuteEnabled: false });
    await local.disableAudio();
    await local.disableVideo();
    const relay = (relayId: number, action: string, args?: unknown): void =>
      push('room', { type: 'conv.relayRequest', relayId, from: '7', streamId: local.streamId, action, ...(args !== undefined ? { args } : {}) });
    relay(10, 'enableAudio');
    relay(11, 'enableVideo');
    relay(12, 'getSettings');
    relay(13, 'applyConstraints', { video: { deviceId: { exact: 'guess' }, width: 320 } });
    await flush();
    const answers = server.of('conv.relayAnswer');
    expect(answers.find((a) => a.relayId === 10)).toMatchObject({ ok: false, error: 'remote unmute not allowed by the publisher' });
    expect(answers.find((a) => a.relayId === 11)).toMatchObject({ ok: false });
    expect(local.isAudioEnabled()).toBe(false);
    expect(local.isVideoEnabled()).toBe(false);
    const settings = answers.find((a) => a.relayId === 12);
    expect(settings).toMatchObject({ ok: true, result: { video: { width: 640 }, audio: { sampleRate: 48000 } } });
    expect(JSON.stringify(settings)).not.toMatch(/deviceId|groupId|secret/);
    // The requester could neither switch our camera nor probe a device id; width applied.
    expect(answers.find((a) => a.relayId === 13)).toMatchObject({ ok: true });
    expect(await local.getSettings()).toMatchObject({ video: { deviceId: 'cam-secret', width: 320 } });
    // Nor do the publisher's own constraint changes announce its device.
    await local.applyConstraints({ video: { deviceId: { exact: 'cam-secret' }, frameRate: 15 } });
    await flush();
    expect(server.of('conv.constraintsChanged').at(-1)).toMatchObject({ constraints: { video: { frameRate: 15 } } });
    expect(JSON.stringify(server.of('conv.constraintsChanged'))).not.toMatch(/deviceId|guess|secret/);

    // An app that opted in can be unmuted remotely.
    const other = createLocalStream(fakeMediaStream());
    const pub2 = c.publish(other, { remoteUnmuteEnabled: true });
    await flush();
    await pub2;
    expect(server.of('conv.publish').at(-1)).toMatchObject({ remoteUnmuteEnabled: true });
    await other.disableAudio();
    push('room', { type: 'conv.relayRequest', relayId: 20, from: '7', streamId: other.streamId, action: 'enableAudio' });
    await flush();
    expect(server.of('conv.relayAnswer').find((a) => a.relayId === 20)).toMatchObject({ ok: true });
    expect(other.isAudioEnabled()).toBe(true);
  });

  test('chat, data and custom events both ways', async () => {
    const c = await joined();
    const uuid = c.sendMessage('hello', { metadata: { a: 1 } });
    await flush();
    expect(await uuid).toBe(42);
    expect(server.of('conv.message')[0]).toMatchObject({ content: 'hello', metadata: { a: 1 } });
    const d = c.sendData({ x: 1 });
    const e = c.sendCustomEvent('wave', { hand: 'left' });
    await flush();
    await d;
    await e;
    expect(server.of('conv.data')[0]).toMatchObject({ content: { x: 1 } });
    expect(server.of('conv.customEvent')[0]).toMatchObject({ event: 'wave', content: { hand: 'left' } });

    const got: Record<string, unknown>[] = [];
    c.on('message', (m) => got.push(m as Record<string, unknown>));
    c.on('data', (m) => got.push(m as Record<string, unknown>));
    c.on('customEvent', (m) => got.push(m as Record<string, unknown>));
    const sessionEvents: unknown[] = [];
    session.on('customEvent', (x) => sessionEvents.push(x));
    push('room', { type: 'conv.message', from: '7', content: 'hi', uuid: 5, time: 1000, metadata: { b: 2 } });
    push('room', { type: 'conv.data', from: '7', content: { y: 2 } });
    push('room', { type: 'conv.customEvent', from: '7', event: 'wave', content: { hand: 'right' } });
    await flush();
    const seven = session.getOrCreateContact('7');
    expect(got[0]).toEqual({ sender: seven, sender_id: '7', content: 'hi', time: new Date(1000), metadata: { b: 2 }, uuid: 5 });
    expect(got[1]).toEqual({ sender: seven, content: { y: 2 } });
    expect(got[2]).toEqual({ event: 'wave', sender: seven, content: { hand: 'right', event: 'wave', roomname: 'room' } });
    expect(sessionEvents).toEqual([{ event: 'wave', sender: seven, content: { hand: 'right', event: 'wave', roomname: 'room' }, conversation: c }]);
  });

  test('mode switch: roomModeChanged ongoing → renewal (streamRemoved old, streamAdded new, same id, no list event) → complete', async () => {
    server.respond = (m) => {
      if (m.type === 'conv.join') return { data: { mode: 'mesh', meshOnly: false } };
      if (m.type === 'conv.publish') return { data: { callId: '1' } };
      return undefined;
    };
    const c = await joined('mesh', { meshModeEnabled: true });
    const local = createLocalStream(fakeMediaStream());
    const pub = c.publish(local);
    await flush();
    await pub;
    push('mesh', { type: 'conv.stream', change: 'added', stream: desc(100, '7') });
    await flush();
    const p = c.subscribeToStream(100);
    await flush();
    const old = await p;
    const seen: string[] = [];
    c.on('streamListChanged', (i) => seen.push(`list ${i.listEventType} ${i.streamId}`));
    seen.length = 0;
    c.on('roomModeChanged', (e) => seen.push(`mode ${JSON.stringify(e)}`));
    c.on('streamRemoved', (s) => seen.push(`removed ${s.streamId} ${s === old ? 'old' : 'new'}`));
    c.on('streamAdded', (s) => seen.push(`added ${s.streamId} ${s === old ? 'old' : 'new'}`));
    push('mesh', { type: 'conv.modeChanged', oldMode: 'mesh', newMode: 'sfu', state: 'ongoing' });
    push('mesh', { type: 'conv.subscriptionEnded', streamId: 100, reason: 'modeChanged' });
    await flush();
    expect(seen).toEqual([
      'mode {"oldMode":"mesh","newMode":"sfu","state":"ongoing"}',
      'removed 100 old',
      'added 100 new',
      'mode {"oldMode":"mesh","newMode":"sfu","state":"complete"}',
    ]);
    expect(c.getMode()).toBe('sfu');
    expect(planes.map((x) => x.mode)).toEqual(['mesh', 'sfu']);
    expect(planes[0]?.calls).toContain('close');
    expect(planes[1]?.calls).toEqual([`publish ${local.streamId}`, 'subscribe 100']);
    expect(server.of('conv.publish')).toHaveLength(1);
  });

  test('media restart (the server lost its media worker): a fresh SFU plane re-publishes and re-subscribes, same ids, no roomModeChanged', async () => {
    server.respond = (m) => {
      if (m.type === 'conv.join') return { data: { mode: 'sfu', meshOnly: false } };
      if (m.type === 'conv.publish') return { data: { callId: '1' } };
      return undefined;
    };
    const c = await joined();
    const local = createLocalStream(fakeMediaStream());
    const pub = c.publish(local);
    await flush();
    await pub;
    push('room', { type: 'conv.stream', change: 'added', stream: desc(100, '7') });
    await flush();
    const p = c.subscribeToStream(100);
    await flush();
    const old = await p;
    const seen: string[] = [];
    c.on('roomModeChanged', (e) => seen.push(`mode ${JSON.stringify(e)}`));
    c.on('streamListChanged', (i) => seen.push(`list ${i.listEventType} ${i.streamId}`));
    c.on('streamRemoved', (s) => seen.push(`removed ${s.streamId} ${s === old ? 'old' : 'new'}`));
    c.on('streamAdded', (s) => seen.push(`added ${s.streamId} ${s === old ? 'old' : 'new'}`));
    await flush();
    seen.length = 0;
    push('room', { type: 'conv.mediaRestart', reason: 'mediaWorkerLost' });
    await flush();
    expect(seen).toEqual(['removed 100 old', 'added 100 new']);
    expect(c.getMode()).toBe('sfu');
    expect(planes.map((x) => x.mode)).toEqual(['sfu', 'sfu']);
    expect(planes[0]?.calls).toContain('close');
    expect(planes[1]?.calls).toEqual([`publish ${local.streamId}`, 'subscribe 100']);
    // Re-published on the new plane only: no second announcement.
    expect(server.of('conv.publish')).toHaveLength(1);
  });

  test('leave ends subscriptions and publications, leaves, emits left; events routed by name; media events go to the plane', async () => {
    const c = await joined();
    push('room', { type: 'conv.stream', change: 'added', stream: desc(100, '7') });
    push('room', { type: 'media.subscriberOffer', sdp: 'v=0', streams: [] });
    await flush();
    expect(planes[0]?.calls).toContain('event media.subscriberOffer');
    const p = c.subscribeToStream(100);
    await flush();
    const remote = await p;
    const local = createLocalStream(fakeMediaStream());
    const pub = c.publish(local);
    await flush();
    await pub;
    const seen: string[] = [];
    c.on('streamRemoved', (s) => seen.push(`removed ${s === remote}`));
    c.on('left', () => seen.push('left'));
    const l = c.leave();
    await flush();
    await l;
    expect(seen).toEqual(['removed true', 'left']);
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_NOT_JOINED);
    expect(server.of('conv.leave')).toHaveLength(1);
    expect(c.isPublishedStream(local)).toBe(false);
    expect(local.data).not.toBeNull();
    expect(planes[0]?.calls).toContain('close');
    expect(c.getAvailableStreamList()).toEqual([]);
    // Same instance may join again.
    const again = c.join();
    await flush();
    await again;
    expect(c.isJoined()).toBe(true);
  });

  test('disconnect leaves the joined conversations first', async () => {
    const c = await joined();
    const left: string[] = [];
    c.on('left', () => left.push('left'));
    const d = session.disconnect();
    await flush(100);
    await d;
    expect(server.received.map((m) => m.type).filter((t) => t === 'conv.leave' || t === 'unregister')).toEqual(['conv.leave', 'unregister']);
    expect(left).toEqual(['left']);
  });

  test('re-registration (resume refused): joins again, re-publishes, renews subscriptions; no duplicate list events', async () => {
    const c = await joined();
    push('room', { type: 'conv.stream', change: 'added', stream: desc(100, '7') });
    push('room', { type: 'conv.stream', change: 'added', stream: desc(101, '7') });
    await flush();
    const p = c.subscribeToStream(100);
    await flush();
    const old = await p;
    const local = createLocalStream(fakeMediaStream());
    const pub = c.publish(local);
    await flush();
    await pub;
    const seen: string[] = [];
    c.on('streamListChanged', (i) => seen.push(`list ${i.listEventType} ${i.streamId}`));
    seen.length = 0;
    c.on('streamRemoved', (s) => seen.push(`removed ${s.streamId} ${s === old ? 'old' : 'new'}`));
    c.on('streamAdded', (s) => seen.push(`added ${s.streamId} ${s === old ? 'old' : 'new'}`));
    c.on('joined', () => seen.push('joined'));
    c.on('left', () => seen.push('left'));
    // After the new registration, the server re-announces stream 100 only (101 is gone).
    server.respond = (m) => {
      if (m.type === 'conv.join') {
        setTimeout(() => push('room', { type: 'conv.stream', change: 'added', stream: desc(100, '7') }), 10);
        return { data: { mode: 'sfu', meshOnly: false } };
      }
      if (m.type === 'conv.publish') return { data: { callId: '777' } };
      return undefined;
    };
    server.refuseResume = true;
    server.current?.serverClose(1006);
    await flush(5_000);
    expect(server.of('conv.join')).toHaveLength(2);
    expect(server.of('conv.publish').map((m) => m.streamId)).toEqual([local.streamId, local.streamId]);
    expect(server.of('conv.subscribe').map((m) => m.streamId)).toEqual([100, 100]);
    expect(seen).toEqual(['removed 100 old', 'list removed 101', 'added 100 new']);
    expect(c.isJoined()).toBe(true);
    expect(c.getConversationCall(local)?.getCallId()).toBe('777');
  });
  test('a relayed conv.audioAmplitude is emitted as audioAmplitude with the stream callId; monitoring switches follow the UserAgent', async () => {
    const c = await joined();
    push('room', { type: 'conv.stream', change: 'added', stream: desc(100, '7') });
    await flush();
    const events: object[] = [];
    c.on('audioAmplitude', (e) => events.push(e));
    push('room', { type: 'conv.audioAmplitude', streamId: 100, amplitude: 120.5, isSpeaking: true });
    push('room', { type: 'conv.audioAmplitude', streamId: 100, amplitude: 3, isSpeaking: false });
    await flush();
    expect(events).toEqual([
      { streamId: 100, callId: '101', amplitude: 120.5, isSpeaking: true, descriptor: { amplitude: 120.5, isSpeaking: true } },
      { streamId: 100, callId: '101', amplitude: 3, isSpeaking: false, descriptor: { amplitude: 3, isSpeaking: false } },
    ]);
    // With no peer connection (fake planes) monitoring runs without emitting; turning it off and on is accepted.
    const ua = session.getUserAgent();
    const stats: object[] = [];
    c.on('callStatsUpdate', (e) => stats.push(e));
    ua.enableCallStatsMonitoring(true, { interval: 1000 });
    ua.enableCallStatsMonitoring(true, { interval: 10 }); // refused: default interval, logged
    await vi.advanceTimersByTimeAsync(6000);
    ua.enableCallStatsMonitoring(false);
    expect(stats).toEqual([]);
    expect(console.error).toHaveBeenCalled();
  });
});
