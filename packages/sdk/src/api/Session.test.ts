import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CONVERSATION_STATUS_NOT_JOINED } from '../constants.js';
import { runtime } from '../runtime.js';
import { FakeServer } from '../testing/FakeServer.js';
import { Conference } from './Conference.js';
import type { ContactListUpdate } from './ContactCatalog.js';
import { UserAgent } from './UserAgent.js';

const flush = async (ms = 0): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms + 50);
};
const ids = (u: ContactListUpdate) => ({
  joined: Object.fromEntries(Object.entries(u.joinedGroup).map(([g, l]) => [g, l.map((c) => c.getId())])),
  left: Object.fromEntries(Object.entries(u.leftGroup).map(([g, l]) => [g, l.map((c) => c.getId())])),
  changed: u.userDataChanged.map((c) => c.getId()),
});

describe('UserAgent and Session over a fake server', () => {
  let server: FakeServer;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    server = new FakeServer();
    server.snapshot = { default: [{ id: '7', userData: { username: 'seven' } }] };
    server.present.add('7');
    vi.stubGlobal('WebSocket', server.WebSocket);
    vi.stubGlobal('fetch', server.fetch);
  });
  afterEach(() => {
    runtime.userAgentInstance = undefined;
    runtime.legacySession.apiCCId = null;
    vi.unstubAllGlobals();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  async function registered(info: object = {}) {
    const ua = new UserAgent({ uri: 'apiKey:key' });
    const pending = ua.register({ cloudUrl: 'http://parley.test', ...info });
    await flush();
    const session = await pending;
    return { ua, session };
  }

  test('register resolves the Session; ids agree everywhere; the early contactListUpdate is replayed to the first listener', async () => {
    const { ua, session } = await registered();
    expect(runtime.userAgentInstance).toBe(ua);
    expect([session.getId(), session.id, ua.userId, runtime.legacySession.apiCCId]).toEqual(['1000', '1000', '1000', '1000']);
    expect(ua.getUsername()).toMatch(/^guest-[a-z0-9]{13}$/);
    expect(ua.getUserData()).toBe(session.getUserData());
    expect(server.of('register')[0]).toMatchObject({ groups: ['default'], subscribeTo: ['default'], userData: { username: ua.getUsername() } });
    expect(runtime.legacySession.presenceGroup).toEqual(['default']);

    const updates: ContactListUpdate[] = [];
    session.on('contactListUpdate', (u) => updates.push(u));
    expect(updates.map(ids)).toEqual([{ joined: { default: ['7'] }, left: {}, changed: [] }]);
    const seven = updates[0]?.joinedGroup['default']?.[0];
    expect(seven).toBe(session.getOrCreateContact(7));
    expect(seven?.getUsername()).toBe('seven');
    expect(Object.keys(session.getContacts('default'))).toEqual(['7']);
    expect(seven?.isOnline()).toBe(true);
    expect(seven?.inGroup('default')).toBe(true);
  });

  test('presence changes: Contact events, user data updated before the event, same Contact objects', async () => {
    const { session } = await registered();
    const seven = session.getOrCreateContact('7');
    const seen: string[] = [];
    seven.on('leaveGroup', (g) => seen.push(`leave:${g}`));
    session.on('contactListUpdate', (u) => {
      if (u.userDataChanged[0]) seen.push(`data:${String(u.userDataChanged[0].getUserData().get('status'))}:${String(u.userDataChanged[0] === seven)}`);
      if (u.leftGroup['default']) seen.push('update:left');
    });
    server.push({ type: 'presence', joinedGroup: {}, leftGroup: {}, userDataChanged: [{ id: '7', userData: { username: 'seven', status: 'busy' } }] });
    server.push({ type: 'presence', joinedGroup: {}, leftGroup: { default: ['7'] }, userDataChanged: [] });
    await flush();
    expect(seen).toEqual(['data:busy:true', 'update:left', 'leave:default']);
    expect(seven.isOnline()).toBe(false);
  });

  test('contact.isAuthenticated() (Parley extension) follows the presence flag, also when a session replaces another', async () => {
    const { session } = await registered();
    const seen: string[] = [];
    session.on('contactListUpdate', (u) => seen.push(...u.userDataChanged.map((c) => c.getId())));
    server.push({
      type: 'presence',
      joinedGroup: {
        default: [
          { id: 'alice', userData: {} },
          { id: 'bob', userData: {}, authenticated: true },
        ],
      },
      leftGroup: {},
      userDataChanged: [],
    });
    await flush();
    expect(session.getOrCreateContact('alice').isAuthenticated()).toBe(false);
    expect(session.getOrCreateContact('bob').isAuthenticated()).toBe(true);
    expect(session.getOrCreateContact('nobody').isAuthenticated()).toBe(false);
    // The identified alice replaced an anonymous holder of her id: same user data, new flag.
    server.push({ type: 'presence', joinedGroup: {}, leftGroup: {}, userDataChanged: [{ id: 'alice', userData: {}, authenticated: true }] });
    await flush();
    expect(session.getOrCreateContact('alice').isAuthenticated()).toBe(true);
    expect(seen).toEqual(['alice']);
  });

  test('second register rejects 6; unregister clears the session and a new register works; unregister without session rejects 0', async () => {
    const { ua, session } = await registered();
    await expect(ua.register({ cloudUrl: 'http://parley.test' })).rejects.toMatchObject({ code: 6, error: new Error('register() - Session already ON') });
    const disconnects = vi.fn();
    session.on('disconnect', disconnects);
    const done = ua.unregister();
    await flush();
    await done;
    expect([ua.isRegistered(), ua.userId, runtime.legacySession.apiCCId, disconnects.mock.calls.length]).toEqual([false, null, null, 1]);
    await expect(session.disconnect()).rejects.toBe('disconnect() - session already disconnected');
    await expect(ua.unregister()).rejects.toMatchObject({ code: 0, error: new Error('unregister() - no current session') });
    const again = ua.register({ cloudUrl: 'http://parley.test' });
    await flush();
    await expect(again).resolves.toBeDefined();
  });

  test('register failures: server refusal → 5 with its reason; no server → 0 Could not get preferred CCS', async () => {
    server.registerRefusal = 'token required';
    const refused = new UserAgent({ uri: 'apiKey:key' }).register({ cloudUrl: 'http://parley.test' }).catch((e: unknown) => e);
    await flush();
    expect(await refused).toMatchObject({ code: 5, error: new Error('register() - ApiRTC Initialization error : token required') });

    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    const lost = new UserAgent({ uri: 'apiKey:key' })
      .register({ cloudUrl: 'http://parley.test', cloudFetchRetries: 1, cloudFetchRetryDelay: 10 })
      .catch((e: unknown) => e);
    await flush(100);
    expect(await lost).toMatchObject({ code: 0, error: new Error('register() - Could not get preferred CCS') });
  });

  test('contact messaging: delivery, history, events on both Session and Contact; error codes 9 / 8 / 11', async () => {
    const { session } = await registered();
    const seven = session.getOrCreateContact('7');
    const events: unknown[] = [];
    session.on('contactMessage', (e) => events.push(['session', e.sender === seven, e.content, e.uuid, e.time instanceof Date]));
    seven.on('message', (e) => events.push(['contact', e.content]));
    seven.on('data', (d) => events.push(['data', d]));
    server.push({ type: 'contact.message', from: '7', content: 'hi', uuid: 4, time: 1_700_000_000_000 });
    server.push({ type: 'contact.data', from: '7', content: { a: 1 } });
    await flush();
    expect(events).toEqual([
      ['session', true, 'hi', 4, true],
      ['contact', 'hi'],
      ['data', { a: 1 }],
    ]);

    const sent = seven.sendMessage('hello');
    await flush();
    expect(typeof (await sent)).toBe('number');
    expect(seven.getPreviousMessages().map((m) => [m.content, m.sender.getId()])).toEqual([
      ['hi', '7'],
      ['hello', '1000'],
    ]);

    await expect(seven.sendMessage('')).rejects.toMatchObject({ code: 9, error: new Error('sendMessage() - message parameter is empty') });
    await expect(seven.sendMessage(3 as unknown as string)).rejects.toMatchObject({ code: 9 });
    const missing = session
      .getOrCreateContact('404')
      .sendData({ x: 1 })
      .catch((e: unknown) => e);
    await flush();
    expect(await missing).toMatchObject({ code: 8, error: new Error('sendData() - Contact was not found ') });
    server.autoAnswer = false;
    const slow = seven.sendCustomEvent('evt', {}).catch((e: unknown) => e);
    await flush(10_000);
    expect(await slow).toMatchObject({ code: 11, error: new Error('sendCustomEvent() - Data transmission timed out ') });
  });

  test('groups: joinGroup is a no-op when joined, leaveGroup also unsubscribes; user data publication', async () => {
    const { ua, session } = await registered();
    session.joinGroup('default');
    session.joinGroup('team');
    session.leaveGroup('nowhere');
    expect(session.getPresenceGroup()).toEqual(['default', 'team']);
    expect(session.getSubscribedPresenceGroup()).toEqual(['default']);
    session.subscribeToGroup('team');
    expect(session.getSubscribedPresenceGroup()).toEqual(['default', 'team']);
    session.leaveGroup('team');
    expect(runtime.legacySession.presenceGroup).toEqual(['default']);
    ua.setUsername('Alice');
    ua.getUserData().setProp('status', 'busy').setToSession();
    await flush();
    expect(server.of('group.join').map((m) => m.group)).toEqual(['team']);
    expect(server.of('group.leave').map((m) => m.group)).toEqual(['team']);
    expect(server.of('group.unsubscribe').map((m) => m.group)).toEqual(['team']);
    expect(session.getSubscribedPresenceGroup()).toEqual(['default']);
    expect(server.of('userData.set').map((m) => m.userData['username'])).toEqual(['Alice', 'Alice']);
    expect(server.of('userData.set')[1]?.userData['status']).toBe('busy');
  });

  test('conversation registry: one instance per name, status symbol, destroy, conferences, generated names', async () => {
    const { session } = await registered();
    const c = session.getOrCreateConversation('room', { moderationEnabled: true });
    expect(session.getOrCreateConversation('room')).toBe(c);
    expect(session.getConversation('room')).toBe(c);
    expect(c.getName()).toBe('room');
    expect(c.getStatus()).toBe(CONVERSATION_STATUS_NOT_JOINED);
    expect(c.isJoined()).toBe(false);
    await expect(c.leave()).rejects.toMatchObject({ code: 16, error: new Error('leave() - webconf not joined') });
    c.destroy();
    expect(session.getOrCreateConversation('room')).not.toBe(c);
    const conf = session.getOrCreateConversation('corp:weekly');
    expect(conf).toBeInstanceOf(Conference);
    expect(conf.getName()).toBe('weekly');
    expect(session.getConversation('corp:weekly')).not.toBeInstanceOf(Conference);
    expect(session.getOrCreateConversation('').getName()).toMatch(/^conversation-/);
  });

  test('connection loss: ccsConnectionStatus retry then connected; Session reconnecting then reconnection', async () => {
    const { ua, session } = await registered();
    const seen: string[] = [];
    ua.on('ccsConnectionStatus', (e) => seen.push(e.status));
    session.on('reconnecting', () => seen.push('reconnecting'));
    session.on('reconnection', () => seen.push('reconnection'));
    server.current?.serverClose(1006);
    await flush(2_000);
    expect(seen).toEqual(['retry', 'reconnecting', 'connected', 'reconnection']);
    expect(session.getId()).toBe('1000');
  });
});
