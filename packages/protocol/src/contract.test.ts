import type * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { ClientMessage, HandshakeRequest, SessionRequest } from './client.js';
import { ErrorCode } from './errors.js';
import { checkRequest, isRequestType, RequestSchemas } from './requests.js';
import { type RequestOf, RequestResults, type RequestType, type ResultOf, resultSchemaOf } from './results.js';
import { ServerEvent, type ServerEventType, ServerMessage } from './server.js';

/*
 * The wire contract: every message type round-trips through its schema, invalid frames are
 * refused with the code the server answers, and every request type has a result schema.
 */

/** Request types named by a (nested) union of object schemas, read at run time. */
function typesOf(schema: z.ZodType): string[] {
  const def = (schema as unknown as { def: { type: string; options?: z.ZodType[]; shape?: { type?: { def: { values: unknown[] } } } } }).def;
  if (def.type === 'union') return (def.options ?? []).flatMap(typesOf);
  if (def.type === 'object' && def.shape?.type) return def.shape.type.def.values.map(String);
  throw new Error(`unexpected schema kind ${def.type}`);
}

const sdp = 'v=0\r\n';

/** One representative valid request of every type; the mapped type makes a missing one a compile error. */
const recordingInfo = {
  roomName: 'room',
  callId: 'COMPOSITE' as const,
  recordType: 'composite' as const,
  convId: 'c-1',
  mediaId: 'm-1',
  mediaURL: 'http://127.0.0.1:3000/media/recordings/m-1/f.mp4?exp=1&sig=x',
  recordedFileName: 'f.mp4',
  audioOnly: false,
  videoOnly: false,
  mode: 'complete',
  labelEnabled: false,
};

const requests: { [T in RequestType]: RequestOf<T> } = {
  register: { type: 'register', id: 1, apiKey: 'key', userId: 'alice', groups: ['g'], subscribeTo: [], userData: { nick: 'A' } },
  resume: { type: 'resume', id: 2, resumeToken: 'tok', lastSeq: 4 },
  unregister: { type: 'unregister', id: 3 },
  ping: { type: 'ping', id: 4 },
  'group.join': { type: 'group.join', id: 5, group: 'g' },
  'group.leave': { type: 'group.leave', id: 6, group: 'g' },
  'group.subscribe': { type: 'group.subscribe', id: 7, group: 'g' },
  'group.unsubscribe': { type: 'group.unsubscribe', id: 8, group: 'g' },
  'userData.set': { type: 'userData.set', id: 9, userData: { nick: 'B' } },
  'contact.send': { type: 'contact.send', id: 10, to: 'bob', kind: 'customEvent', event: 'wave', content: { n: 1 } },
  'conv.join': { type: 'conv.join', id: 11, conversation: 'room', meshModeEnabled: true, meshOnlyEnabled: false, moderationEnabled: true, moderator: false },
  'peer.signal': {
    type: 'peer.signal',
    id: 30,
    to: 'bob',
    session: '4242',
    payload: { kind: 'invite', what: 'file', file: { name: 'a.txt', type: 'text/plain', size: 3 } },
  },
  'conv.leave': { type: 'conv.leave', id: 12, conversation: 'room' },
  'conv.joinGroupChat': { type: 'conv.joinGroupChat', id: 40, conversation: 'room' },
  'conv.leaveGroupChat': { type: 'conv.leaveGroupChat', id: 41, conversation: 'room' },
  'conv.publish': {
    type: 'conv.publish',
    id: 13,
    conversation: 'room',
    streamId: 77,
    msid: 'ms-1',
    hasAudio: true,
    hasVideo: true,
    isAudioMuted: false,
    isVideoMuted: true,
    isScreensharing: false,
    context: { label: 'cam' },
    remoteUnmuteEnabled: false,
  },
  'conv.unpublish': { type: 'conv.unpublish', id: 14, conversation: 'room', streamId: 77 },
  'conv.updateStream': {
    type: 'conv.updateStream',
    id: 15,
    conversation: 'room',
    streamId: 77,
    hasAudio: true,
    hasVideo: false,
    isAudioMuted: true,
    isVideoMuted: false,
  },
  'conv.subscribe': { type: 'conv.subscribe', id: 16, conversation: 'room', streamId: 77, audio: true, video: false },
  'conv.unsubscribe': { type: 'conv.unsubscribe', id: 17, conversation: 'room', streamId: 77 },
  'conv.updateSubscription': { type: 'conv.updateSubscription', id: 17, conversation: 'room', streamId: 77, quality: 'low' },
  'media.publisherOffer': { type: 'media.publisherOffer', id: 18, conversation: 'room', sdp },
  'media.subscriberAnswer': { type: 'media.subscriberAnswer', id: 19, conversation: 'room', sdp },
  'media.candidate': {
    type: 'media.candidate',
    id: 20,
    conversation: 'room',
    transport: 'publisher',
    candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host',
    sdpMid: '0',
  },
  'mesh.signal': { type: 'mesh.signal', id: 21, conversation: 'room', to: 'bob', payload: { kind: 'subscribe', streamId: 77, audio: true, video: true } },
  'conv.qualityReport': { type: 'conv.qualityReport', id: 22, conversation: 'room', lossRatio: 0.25 },
  'conv.message': { type: 'conv.message', id: 23, conversation: 'room', content: 'hello', metadata: { lang: 'en' } },
  'conv.data': { type: 'conv.data', id: 24, conversation: 'room', content: [1, 'two', { three: 3 }] },
  'conv.customEvent': { type: 'conv.customEvent', id: 25, conversation: 'room', event: 'raise-hand', content: { up: true } },
  'conv.relay': { type: 'conv.relay', id: 26, conversation: 'room', streamId: 77, action: 'applyConstraints', args: { video: { width: 640 } } },
  'conv.relayAnswer': { type: 'conv.relayAnswer', id: 27, relayId: 3, ok: true, result: { width: 640 } },
  'conv.constraintsChanged': { type: 'conv.constraintsChanged', id: 28, conversation: 'room', streamId: 77, constraints: { video: { width: 640 } } },
  'conv.allowEntry': { type: 'conv.allowEntry', id: 29, conversation: 'room', userId: 'bob' },
  'conv.denyEntry': { type: 'conv.denyEntry', id: 30, conversation: 'room', userId: 'bob', reason: 'not today' },
  'conv.eject': { type: 'conv.eject', id: 31, conversation: 'room', userId: 'bob', reason: 'rude' },
  'conv.startRecording': {
    type: 'conv.startRecording',
    id: 29,
    conversation: 'room',
    audioOnly: false,
    videoOnly: false,
    mode: 'complete',
    labelEnabled: true,
    labels: ['cam'],
    customIdInFilename: 'weekly',
  },
  'conv.stopRecording': { type: 'conv.stopRecording', id: 30, conversation: 'room' },
  'conv.audioAmplitude': { type: 'conv.audioAmplitude', id: 29, conversation: 'room', streamId: 77, amplitude: 120.5, isSpeaking: true },
  'conv.history': { type: 'conv.history', id: 29, conversation: 'room', count: 20, before: 41 },
  'contact.history': { type: 'contact.history', id: 30, contact: 'bob', count: 10, beforeTime: 1_700_000_000_000 },
  'cloud.pushTicket': { type: 'cloud.pushTicket', id: 31, conversation: 'room', name: 'notes.txt', mimeType: 'text/plain', size: 12, metadata: { a: 1 } },
  'cloud.list': { type: 'cloud.list', id: 32, conversation: 'room' },
  'ice.servers': { type: 'ice.servers', id: 33 },
};

/** One representative successful answer's data per request type. */
const results: { [T in RequestType]: ResultOf<T> } = {
  register: {
    userId: 'alice',
    resumeToken: 'tok',
    resumeWindowMs: 10_000,
    heartbeatMs: 20_000,
    serverVersion: '0.1.0',
    idTicket: 't',
    iceServers: [
      { urls: ['stun:turn.example.com:3478'] },
      { urls: ['turn:turn.example.com:3478?transport=tcp'], username: '1700086400:alice', credential: 'c2VjcmV0' },
    ],
    iceServersExpireAt: 1_700_086_400_000,
  },
  resume: { userId: 'alice', resumeToken: 'tok2', replayed: 3 },
  unregister: undefined,
  ping: undefined,
  'group.join': undefined,
  'group.leave': undefined,
  'group.subscribe': undefined,
  'group.unsubscribe': undefined,
  'userData.set': undefined,
  'contact.send': { uuid: 5 },
  'conv.join': { mode: 'mesh', meshOnly: false, moderation: { role: 'guest', waiting: true, moderator: { id: 'mod', userData: {} } } },
  'peer.signal': undefined,
  'conv.leave': undefined,
  'conv.joinGroupChat': undefined,
  'conv.leaveGroupChat': undefined,
  'conv.publish': { callId: '1234' },
  'conv.unpublish': undefined,
  'conv.updateStream': undefined,
  'conv.subscribe': undefined,
  'conv.unsubscribe': undefined,
  'conv.updateSubscription': undefined,
  'media.publisherOffer': { sdp },
  'media.subscriberAnswer': undefined,
  'media.candidate': undefined,
  'mesh.signal': undefined,
  'conv.qualityReport': undefined,
  'conv.message': { uuid: 9 },
  'conv.data': undefined,
  'conv.customEvent': undefined,
  'conv.relay': { result: { width: 640 } },
  'conv.relayAnswer': undefined,
  'conv.constraintsChanged': undefined,
  'conv.allowEntry': undefined,
  'conv.denyEntry': undefined,
  'conv.eject': undefined,
  'conv.startRecording': { info: recordingInfo },
  'conv.stopRecording': { info: recordingInfo },
  'conv.audioAmplitude': undefined,
  'conv.history': { messages: [{ uuid: 3, from: 'bob', content: 'hi', time: 1_700_000_000_000, displayName: 'Bob', metadata: { a: 1 } }], more: true },
  'contact.history': { messages: [{ uuid: 4, from: 'bob', to: 'alice', content: 'hi', time: 1_700_000_000_000 }], more: false },
  'cloud.pushTicket': { uploadPath: '/api/v1/media/upload/t', expiresAt: 1_700_000_000_000 },
  'ice.servers': {
    iceServers: [{ urls: ['turns:turn.example.com:5349'], username: '1700086400:alice', credential: 'c2VjcmV0' }],
    expiresAt: 1_700_086_400_000,
  },
  'cloud.list': {
    media: [
      {
        id: 'abcdefghijklmnop',
        name: 'notes.txt',
        mimeType: 'text/plain',
        size: 12,
        from: 'bob',
        time: 1_700_000_000_000,
        url: '/api/v1/media/abcdefghijklmnop?exp=1&sig=x',
      },
    ],
  },
};

const stream = {
  streamId: 77,
  callId: '1234',
  publisherId: 'alice',
  hasAudio: true,
  hasVideo: true,
  isAudioMuted: false,
  isVideoMuted: false,
  isScreensharing: false,
  context: { label: 'cam' },
};

/** One representative event of every server event type. */
const events: { [T in ServerEventType]: Extract<ServerEvent, { type: T }> } = {
  presence: {
    type: 'presence',
    seq: 1,
    joinedGroup: { g: [{ id: 'bob', userData: { nick: 'B' }, authenticated: true }] },
    leftGroup: { h: ['carol'] },
    userDataChanged: [{ id: 'dave', userData: {} }],
    joinedConversation: { room: [{ id: 'bob', userData: {} }] },
    leftConversation: { room: ['carol'] },
  },
  'contact.data': { type: 'contact.data', seq: 2, from: 'bob', content: { x: 1 } },
  'contact.message': { type: 'contact.message', seq: 3, from: 'bob', content: 'hi', uuid: 4, time: 1_700_000_000_000 },
  'contact.customEvent': { type: 'contact.customEvent', seq: 4, from: 'bob', event: 'wave', content: null },
  'peer.signal': { type: 'peer.signal', seq: 16, from: 'bob', session: '4242', payload: { kind: 'decline', reason: 'User_Refused_Call' } },
  'conv.stream': { type: 'conv.stream', seq: 5, conversation: 'room', change: 'added', stream },
  'conv.subscriptionEnded': { type: 'conv.subscriptionEnded', seq: 6, conversation: 'room', streamId: 77, reason: 'unpublished' },
  'media.subscriberOffer': { type: 'media.subscriberOffer', seq: 7, conversation: 'room', sdp, streams: [{ streamId: 77, msid: 'ms-1' }] },
  'media.candidate': { type: 'media.candidate', seq: 8, conversation: 'room', transport: 'subscriber', candidate: 'candidate:1', sdpMid: '0' },
  'mesh.signal': { type: 'mesh.signal', seq: 9, conversation: 'room', from: 'bob', payload: { kind: 'offer', sdp } },
  'conv.modeChanged': { type: 'conv.modeChanged', seq: 10, conversation: 'room', oldMode: 'mesh', newMode: 'sfu', state: 'ongoing' },
  'conv.mediaRestart': { type: 'conv.mediaRestart', seq: 10, conversation: 'room', reason: 'mediaWorkerLost' },
  'conv.message': { type: 'conv.message', seq: 11, conversation: 'room', from: 'bob', content: 'hi', uuid: 2, time: 1_700_000_000_000, metadata: { a: 1 } },
  'conv.data': { type: 'conv.data', seq: 12, conversation: 'room', from: 'bob', content: 'x' },
  'conv.customEvent': { type: 'conv.customEvent', seq: 13, conversation: 'room', from: 'bob', event: 'e', content: { y: 2 } },
  'conv.relayRequest': { type: 'conv.relayRequest', seq: 14, conversation: 'room', relayId: 3, from: 'bob', streamId: 77, action: 'getSettings' },
  'conv.constraintsChanged': { type: 'conv.constraintsChanged', seq: 15, conversation: 'room', streamId: 77, constraints: { video: true } },
  'conv.waitingRoom': { type: 'conv.waitingRoom', seq: 16, conversation: 'room', change: 'joined', contact: { id: 'bob', userData: { nick: 'B' } } },
  'conv.entry': { type: 'conv.entry', seq: 17, conversation: 'room', decision: 'allowed', mode: 'sfu', meshOnly: false },
  'conv.moderator': { type: 'conv.moderator', seq: 18, conversation: 'room', moderator: { id: 'alice', userData: {} } },
  'conv.ejected': { type: 'conv.ejected', seq: 19, conversation: 'room', userId: 'bob', reason: 'rude' },
  'conv.recording': { type: 'conv.recording', seq: 16, conversation: 'room', state: 'available', info: recordingInfo },
  'conv.audioAmplitude': { type: 'conv.audioAmplitude', seq: 16, conversation: 'room', streamId: 77, amplitude: 0, isSpeaking: false },
  'conv.simulcastFeedChanged': { type: 'conv.simulcastFeedChanged', seq: 16, conversation: 'room', streamId: 77, quality: 'low' },
  'conv.dominantSpeaker': { type: 'conv.dominantSpeaker', seq: 16, conversation: 'room', streamId: 77, contactId: 'alice' },
  'cloud.newMedia': {
    type: 'cloud.newMedia',
    seq: 16,
    conversation: 'room',
    media: {
      id: 'abcdefghijklmnop',
      name: 'notes.txt',
      mimeType: 'text/plain',
      size: 12,
      from: 'bob',
      time: 1_700_000_000_000,
      url: '/api/v1/media/abcdefghijklmnop?exp=1&sig=x',
    },
  },
};

/** Through the wire and back: what a peer decodes from the JSON text. */
const overTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('request/result map', () => {
  // contact.send is itself a union (by kind): each of its variants names the type.
  const requestTypes = [...new Set(typesOf(ClientMessage))];

  it('has a result schema for every request type of the union, and nothing else', () => {
    expect(requestTypes.length).toBeGreaterThan(20);
    expect(Object.keys(RequestResults).sort()).toEqual([...requestTypes].sort());
    expect(Object.keys(RequestSchemas).sort()).toEqual([...requestTypes].sort());
    for (const type of requestTypes) expect(resultSchemaOf(type), type).toBeDefined();
    expect(resultSchemaOf('toString')).toBeUndefined();
  });

  it('splits request types into the handshake and session unions', () => {
    expect(typesOf(HandshakeRequest).sort()).toEqual(['register', 'resume']);
    expect(typesOf(SessionRequest)).not.toContain('register');
  });

  it('is checked at compile time too', () => {
    // Fails the type-check when a request type lacks a result or a result names no request.
    const missing: [Exclude<RequestType, keyof typeof RequestResults>] extends [never] ? true : false = true;
    const extra: [Exclude<keyof typeof RequestResults, RequestType>] extends [never] ? true : false = true;
    expect(missing && extra).toBe(true);
  });

  it.each(requestTypes)('%s: its sample answer data parses with its result schema, alone and in an answer', (type) => {
    if (!isRequestType(type)) throw new Error(`not a request type: ${type}`);
    const data = results[type];
    expect(RequestResults[type].parse(overTheWire(data === undefined ? null : data) ?? undefined)).toEqual(data);
    const answer = data === undefined ? { type: 'answer', re: 1, ok: true } : { type: 'answer', re: 1, ok: true, data };
    expect(ServerMessage.parse(overTheWire(answer))).toEqual(answer);
  });

  it('refuses answer data of another shape', () => {
    expect(RequestResults['conv.publish'].safeParse({ callId: 5 }).success).toBe(false);
    expect(RequestResults['conv.join'].safeParse({ mode: 'p2p', meshOnly: false }).success).toBe(false);
    expect(RequestResults['group.join'].safeParse({}).success).toBe(false);
    expect(RequestResults['media.publisherOffer'].safeParse(undefined).success).toBe(false);
    // A relay whose publisher answered nothing: the key is dropped by JSON.
    expect(RequestResults['conv.relay'].parse(overTheWire({ result: undefined }))).toEqual({});
  });
});

describe('client requests', () => {
  it.each(Object.values(requests))('$type round-trips through its schema and the union', (request) => {
    const wire = overTheWire(request);
    expect(RequestSchemas[request.type].parse(wire)).toEqual(request);
    expect(ClientMessage.parse(wire)).toEqual(request);
    const scope = request.type === 'register' || request.type === 'resume' ? 'handshake' : 'session';
    expect(checkRequest(wire, scope)).toEqual({ ok: true, request });
  });

  it('fills defaults the way the server reads them', () => {
    const checked = checkRequest({ type: 'conv.join', id: 1, conversation: 'room' }, 'session');
    expect(checked).toEqual({
      ok: true,
      request: { type: 'conv.join', id: 1, conversation: 'room', meshModeEnabled: false, meshOnlyEnabled: false, moderationEnabled: false, moderator: false },
    });
  });
});

describe('invalid frames are refused with code 9 and say why', () => {
  const cases: [name: string, frame: unknown, scope: 'handshake' | 'session', message: RegExp][] = [
    ['unknown type', { type: 'conv.nope', id: 1 }, 'session', /^unknown message type$/],
    ['no type', { id: 1 }, 'session', /^unknown message type$/],
    ['not an object', 'ping', 'session', /^unknown message type$/],
    ['inherited property as type', { type: 'constructor', id: 1 }, 'session', /^unknown message type$/],
    ['session request during the handshake', { type: 'ping', id: 1 }, 'handshake', /^unknown message type$/],
    ['handshake request in a session', { type: 'resume', id: 1, resumeToken: 't', lastSeq: 0 }, 'session', /^unknown message type$/],
    ['missing field', { type: 'group.join', id: 1 }, 'session', /^group: /],
    ['empty group name', { type: 'group.join', id: 1, group: '' }, 'session', /^group: /],
    ['negative id', { type: 'ping', id: -1 }, 'session', /^id: /],
    ['wrong field type', { type: 'conv.subscribe', id: 1, conversation: 'room', streamId: 'x' }, 'session', /^streamId: /],
    [
      'amplitude out of range',
      { type: 'conv.audioAmplitude', id: 1, conversation: 'room', streamId: 77, amplitude: 300, isSpeaking: true },
      'session',
      /^amplitude: /,
    ],
    ['loss ratio out of range', { type: 'conv.qualityReport', id: 1, conversation: 'room', lossRatio: 2 }, 'session', /^lossRatio: /],
    ['unknown relay action', { type: 'conv.relay', id: 1, conversation: 'room', streamId: 1, action: 'format' }, 'session', /^action: /],
    ['unknown mesh payload kind', { type: 'mesh.signal', id: 1, conversation: 'room', to: 'bob', payload: { kind: 'bogus' } }, 'session', /^payload/],
    ['unknown peer payload kind', { type: 'peer.signal', id: 1, to: 'bob', session: '1', payload: { kind: 'bogus' } }, 'session', /^payload/],
    ['peer session id not numeric', { type: 'peer.signal', id: 1, to: 'bob', session: 'abc', payload: { kind: 'accept' } }, 'session', /^session: /],
    ['oversized message', { type: 'conv.message', id: 1, conversation: 'room', content: 'x'.repeat(70_000) }, 'session', /^content: larger than/],
    ['history page too large', { type: 'conv.history', id: 1, conversation: 'room', count: 5000 }, 'session', /^count: /],
    ['register without api key', { type: 'register', id: 1, groups: [], subscribeTo: [], userData: {} }, 'handshake', /^apiKey: /],
  ];

  it.each(cases)('%s', (_name, frame, scope, message) => {
    const checked = checkRequest(frame, scope);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error.code).toBe(ErrorCode.BAD_PARAMETER);
    expect(checked.error.message).toMatch(message);
  });
});

describe('server messages', () => {
  const eventTypes = typesOf(ServerEvent);

  it('has a sample for every event type', () => {
    expect(Object.keys(events).sort()).toEqual([...new Set(eventTypes)].sort());
  });

  it.each(Object.values(events))('$type round-trips through ServerEvent and ServerMessage', (event) => {
    const wire = overTheWire(event);
    expect(ServerEvent.parse(wire)).toEqual(event);
    expect(ServerMessage.parse(wire)).toEqual(event);
  });

  it('error answers and protocol errors round-trip; codes outside apiRTC range are refused', () => {
    const error = { type: 'answer', re: 3, ok: false, error: { code: ErrorCode.NOT_FOUND, message: 'contact not found' } };
    expect(ServerMessage.parse(overTheWire(error))).toEqual(error);
    const notice = { type: 'protocolError', error: { code: ErrorCode.BAD_PARAMETER, message: 'message is not valid JSON' } };
    expect(ServerMessage.parse(overTheWire(notice))).toEqual(notice);
    expect(ServerMessage.safeParse({ ...error, error: { code: 18, message: 'x' } }).success).toBe(false);
    expect(ServerMessage.safeParse({ type: 'presence', seq: 0, joinedGroup: {}, leftGroup: {}, userDataChanged: [] }).success).toBe(false);
  });
});
