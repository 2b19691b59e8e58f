import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage, type E2EEnv, type User } from '../harness/index.js';

/*
 * Issue 11 in real Chromium: a moderator and two guests. The guests' WebSocket frames are
 * recorded from the first one on, so "a waiting guest receives nothing" is checked at the
 * protocol level, not only through the SDK's events.
 */

const env = useE2E('conversation-moderation');
const CONV_PAGE = readFileSync(fileURLToPath(new URL('./conv-page.js', import.meta.url)), 'utf8');
const ROOM = 'moderated-1';

interface Frames {
  /** Parsed server frames received by the page so far. */
  received: { type?: string; conversation?: string; joinedConversation?: Record<string, unknown> }[];
}

/** A registered user whose every received WebSocket frame is kept. */
async function recordedUser(e: E2EEnv, name: string): Promise<{ user: User; id: string; frames: Frames }> {
  const user = await e.user(name);
  const frames: Frames = { received: [] };
  user.page.on('websocket', (ws) => {
    ws.on('framereceived', (frame) => {
      if (typeof frame.payload === 'string') frames.received.push(JSON.parse(frame.payload) as Frames['received'][number]);
    });
  });
  await user.page.evaluate(CONV_PAGE);
  const id = await user.page.evaluate(() => E2E.register());
  return { user, id, frames };
}

/** Creates the moderated conversation in the page, records the moderation events, starts join(). */
function startJoin(user: User, moderator: boolean): Promise<void> {
  return user.page.evaluate(
    ([room, mod]) => {
      const conv = E2E.session.getOrCreateConversation(room, { moderationEnabled: true, moderator: mod });
      CONV.conv = conv;
      const id = (c: { getId(): string }) => ({ id: c.getId() });
      conv.on('contactJoinedWaitingRoom', (c: { getId(): string }) => E2E.record('contactJoinedWaitingRoom', id(c)));
      conv.on('contactLeftWaitingRoom', (c: { getId(): string }) => E2E.record('contactLeftWaitingRoom', id(c)));
      conv.on('waitingForModeratorAcceptance', (c: { getId(): string }) => E2E.record('waitingForModeratorAcceptance', id(c)));
      conv.on('moderatorConnected', (c: { getId(): string }) => E2E.record('moderatorConnected', id(c)));
      conv.on('participantEjected', (p: { self: boolean; reason?: string; contact?: { getId(): string } }) =>
        E2E.record('participantEjected', { self: p.self, reason: p.reason, contactId: p.contact?.getId() }),
      );
      for (const ev of ['entryAllowed', 'entryDenied', 'joined', 'left']) conv.on(ev, () => E2E.record(ev));
      conv.on('streamListChanged', (i: { streamId: number; isRemote: boolean }) =>
        E2E.record('streamListChanged', { streamId: i.streamId, isRemote: i.isRemote }),
      );
      conv.on('message', (m: { content: string }) => E2E.record('message', { content: m.content }));
      E2E.keep.join = conv.join().then(
        (r: unknown) => E2E.record('join:resolved', { result: JSON.parse(JSON.stringify(r)) }),
        (err: unknown) => E2E.record('join:rejected', E2E.error(err)),
      );
    },
    [ROOM, moderator] as const,
  );
}

const statusOf = (user: User): Promise<{ status: string; role: string | null; moderator: string | null }> =>
  user.page.evaluate(() => ({
    status: String(CONV.conv.getStatus().description),
    role: CONV.conv.getRole(),
    moderator: CONV.conv.getModerator()?.getId() ?? null,
  }));

/** Frames of `room` a guest outside it must never get (the moderator announcement aside). */
const leaks = (frames: Frames): unknown[] =>
  frames.received.filter(
    (f) =>
      (f.conversation === ROOM && f.type !== 'conv.moderator' && f.type !== 'conv.entry') ||
      (f.joinedConversation !== undefined && ROOM in f.joinedConversation),
  );

describe('moderation with a waiting room', () => {
  test('two guests wait and receive nothing; one is allowed, one denied (14); the allowed one is ejected and must be allowed again', async () => {
    const mod = await recordedUser(env, 'moderator');
    const g1 = await recordedUser(env, 'guest1');
    const g2 = await recordedUser(env, 'guest2');

    await startJoin(mod.user, true);
    await waitInPage(mod.user, 'moderator joined', () => E2E.count('join:resolved') === 1);
    expect(await statusOf(mod.user)).toEqual({ status: 'CONVERSATION_STATUS_JOINED', role: 'moderator', moderator: null });
    await mod.user.page.evaluate(() => CONV.publishCamera());

    await startJoin(g1.user, false);
    await startJoin(g2.user, false);
    await waitInPage(mod.user, 'both guests in the waiting room', () => E2E.count('contactJoinedWaitingRoom') === 2);
    expect(await mod.user.page.evaluate(() => Object.keys(CONV.conv.getWaitingRoomContacts()).sort())).toEqual([g1.id, g2.id].sort());
    for (const g of [g1, g2]) {
      await waitInPage(g.user, 'waitingForModeratorAcceptance', () => E2E.count('waitingForModeratorAcceptance') === 1);
      expect(await statusOf(g.user)).toEqual({ status: 'CONVERSATION_STATUS_WAITING', role: 'guest', moderator: mod.id });
    }

    // The moderator talks while they wait; a round trip of each guest makes sure it would have arrived.
    await mod.user.page.evaluate(async () => {
      await CONV.conv.sendMessage('for participants only');
      await CONV.conv.sendData({ secret: true });
    });
    for (const g of [g1, g2]) {
      await g.user.page.evaluate(() =>
        E2E.session
          .getOrCreateContact('nobody-here')
          .sendData({ x: 1 })
          .catch(() => undefined),
      );
      // The recording works (the join answer is there), and nothing of the room is.
      expect(g.frames.received.some((f) => f.type === 'answer')).toBe(true);
      expect(leaks(g.frames)).toEqual([]);
      expect(await g.user.page.evaluate(() => E2E.count('streamListChanged') + E2E.count('message') + E2E.count('joined'))).toBe(0);
    }

    // Allowed: g1's join() resolves and it gets the stream list.
    await mod.user.page.evaluate((id) => CONV.conv.allowEntry(CONV.conv.getWaitingRoomContacts()[id]), g1.id);
    await waitInPage(g1.user, 'join resolved', () => E2E.count('join:resolved') === 1);
    expect(
      await g1.user.page.evaluate(() => E2E.events.filter((e) => ['entryAllowed', 'joined', 'join:resolved'].includes(e.type)).map((e) => e.type)),
    ).toEqual(['entryAllowed', 'joined', 'join:resolved']);
    await waitInPage(g1.user, "the moderator's stream", () => E2E.of('streamListChanged').some((e) => e.isRemote));
    expect(await statusOf(g1.user)).toMatchObject({ status: 'CONVERSATION_STATUS_JOINED', role: 'guest' });

    // A participant that is not a moderator cannot decide (code 4).
    const notModerator = await g1.user.page.evaluate((id) => CONV.conv.allowEntry(E2E.session.getOrCreateContact(id)).then(() => 'resolved', CONV.err), g2.id);
    expect(notModerator).toEqual({ code: 4, message: 'allowEntry() - only moderator can allow entry to a contact' });

    // Denied: g2's join() rejects 14.
    await mod.user.page.evaluate((id) => CONV.conv.denyEntry(CONV.conv.getWaitingRoomContacts()[id]), g2.id);
    await waitInPage(g2.user, 'join rejected', () => E2E.count('join:rejected') === 1);
    expect(await g2.user.page.evaluate(() => ({ rejected: E2E.of('join:rejected')[0], denied: E2E.count('entryDenied') }))).toMatchObject({
      rejected: { code: 14, message: 'You were not allowed to join the conversation' },
      denied: 1,
    });
    expect(await statusOf(g2.user)).toMatchObject({ status: 'CONVERSATION_STATUS_NOT_JOINED' });
    expect(leaks(g2.frames)).toEqual([]);
    await waitInPage(mod.user, 'waiting room empty', () => E2E.count('contactLeftWaitingRoom') === 2);

    // Ejected: the promise resolves on the server's confirmation; g1 left, then is told.
    const ejected = await mod.user.page.evaluate(
      (id) => CONV.conv.eject(E2E.session.getOrCreateContact(id), { reason: 'bye' }).then(() => 'resolved', CONV.err),
      g1.id,
    );
    expect(ejected).toBe('resolved');
    await waitInPage(g1.user, 'participantEjected', () => E2E.count('participantEjected') === 1);
    expect(await g1.user.page.evaluate(() => E2E.events.filter((e) => ['left', 'participantEjected'].includes(e.type)).map(({ at: _at, ...e }) => e))).toEqual([
      { type: 'left' },
      { type: 'participantEjected', self: true, reason: 'bye' },
    ]);
    await waitInPage(mod.user, 'participantEjected (other)', () => E2E.count('participantEjected') === 1);
    expect(await mod.user.page.evaluate(() => E2E.of('participantEjected')[0])).toMatchObject({ self: false, contactId: g1.id });

    // Coming back goes through the waiting room again; g1 then gives up (cancelJoin, 15).
    const framesBefore = g1.frames.received.length;
    await g1.user.page.evaluate(() => E2E.events.splice(0));
    await startJoin(g1.user, true);
    await waitInPage(mod.user, 'g1 waits again', (id: string) => E2E.of('contactJoinedWaitingRoom').filter((e) => e.id === id).length === 2, g1.id);
    expect(await statusOf(g1.user)).toMatchObject({ status: 'CONVERSATION_STATUS_WAITING', role: 'guest' });
    await mod.user.page.evaluate(() => CONV.conv.sendMessage('still private'));
    expect(await g1.user.page.evaluate(() => CONV.conv.cancelJoin())).toBe(true);
    await waitInPage(g1.user, 'join cancelled', () => E2E.count('join:rejected') === 1);
    expect(await g1.user.page.evaluate(() => E2E.of('join:rejected')[0])).toMatchObject({ code: 15, message: 'Operation canceled' });
    expect(leaks({ received: g1.frames.received.slice(framesBefore) })).toEqual([]);
    await waitInPage(mod.user, 'g1 left the waiting room', () => E2E.count('contactLeftWaitingRoom') === 3);
  });
});

/**
 * The flow of ApiRTC-examples' conferencing_mute_screen_moderation, rewritten (not copied) on our
 * own page: `apzkey:` + apizee cloudUrl, numeric contact ids passed back to
 * `session.getContact(number)`, subscribeToMedia on streamListChanged, leave() after a refused
 * join and after ejection, then unregister.
 */
interface AppState {
  waiting: number[];
  videos: number;
  log: string[];
  session: { getId(): string; getContact(id: number): unknown };
  conv: { allowEntry(c: unknown): Promise<void>; denyEntry(c: unknown): Promise<void>; eject(c: unknown, o: object): Promise<void> };
  ua: { unregister(): Promise<void> };
}

function exampleClient(user: User, room: string, moderator: boolean): Promise<void> {
  return user.page.evaluate(
    async ([name, mod]) => {
      const ua = new apiRTC.UserAgent({ uri: 'apzkey:myDemoApiKey' });
      const session = await ua.register({ cloudUrl: 'https://cloud.apizee.com' });
      const conv = session.getOrCreateConversation(name, { moderationEnabled: true, moderator: mod });
      const app = { ua, session, conv, waiting: [] as number[], videos: 0, log: [] as string[] };
      (window as unknown as { APP: typeof app }).APP = app;
      conv.on('streamListChanged', (info: { listEventType: string; isRemote: boolean; streamId: number }) => {
        if (info.listEventType === 'added' && info.isRemote) conv.subscribeToMedia(info.streamId, {}).catch(() => app.log.push('subscribe failed'));
      });
      conv.on('streamAdded', () => app.videos++);
      conv.on('contactJoinedWaitingRoom', (c: { getId(): string }) => app.waiting.push(Number(c.getId())));
      conv.on('contactLeftWaitingRoom', (c: { getId(): string }) => (app.waiting = app.waiting.filter((id) => id !== Number(c.getId()))));
      conv.on('participantEjected', (data: { self: boolean }) => {
        app.log.push(data.self ? 'ejected' : 'other ejected');
        if (data.self) void conv.leave().catch((e: { code: number }) => app.log.push(`leave ${e.code}`));
      });
      const stream = await ua.createStream({ constraints: { audio: true, video: true } });
      conv
        .join()
        .then(() => conv.publish(stream))
        .then(() => app.log.push('published'))
        .catch((e: { code: number }) => {
          app.log.push(`join ${e.code}`);
          return conv.leave().catch((err: { code: number }) => app.log.push(`leave ${err.code}`));
        });
    },
    [room, moderator] as const,
  );
}

describe('the flow of the apiRTC moderation example', () => {
  test('numeric ids, accept / refuse / eject as the example app does them', async () => {
    const room = 'example-flow-1';
    const [mod, guest, refused] = await Promise.all(['ex-mod', 'ex-guest', 'ex-refused'].map((n) => env.user(n)));
    if (!mod || !guest || !refused) throw new Error('users');
    await exampleClient(mod, room, true);
    await waitInPage(mod, 'moderator published', () => (window as unknown as { APP: AppState }).APP.log.includes('published'));
    await exampleClient(guest, room, false);
    await waitInPage(mod, 'guest waiting', () => (window as unknown as { APP: AppState }).APP.waiting.length === 1);
    // As the example: the id goes through a number and back into getContact().
    await mod.page.evaluate(() => {
      const app = (window as unknown as { APP: AppState }).APP;
      const id = app.waiting[0] as number;
      return app.conv.allowEntry(app.session.getContact(id));
    });
    await waitInPage(guest, 'guest published and sees the moderator', () => {
      const app = (window as unknown as { APP: AppState }).APP;
      return app.log.includes('published') && app.videos === 1;
    });
    await waitInPage(mod, 'moderator sees the guest', () => (window as unknown as { APP: AppState }).APP.videos === 1);

    await exampleClient(refused, room, false);
    await waitInPage(mod, 'second guest waiting', () => (window as unknown as { APP: AppState }).APP.waiting.length === 1);
    await mod.page.evaluate(() => {
      const app = (window as unknown as { APP: AppState }).APP;
      return app.conv.denyEntry(app.session.getContact(app.waiting[0] as number));
    });
    await waitInPage(refused, 'refused', () => (window as unknown as { APP: AppState }).APP.log.join() === 'join 14,leave 16');

    const guestId = await guest.page.evaluate(() => Number((window as unknown as { APP: AppState }).APP.session.getId()));
    await mod.page.evaluate((id) => {
      const app = (window as unknown as { APP: AppState }).APP;
      return app.conv.eject(app.session.getContact(id), { reason: 'You have been ejected by moderator' });
    }, guestId);
    await waitInPage(
      guest,
      'ejected, leave refused (already left)',
      () => (window as unknown as { APP: AppState }).APP.log.slice(-2).join() === 'ejected,leave 16',
    );
    await waitInPage(mod, 'told', () => (window as unknown as { APP: AppState }).APP.log.includes('other ejected'));
    expect(await guest.page.evaluate(() => (window as unknown as { APP: AppState }).APP.ua.unregister().then(() => 'unregistered'))).toBe('unregistered');
  });
});
