// Injected into every test page (context.addInitScript) before any page script runs.
// Plain browser JavaScript on purpose: it is read from disk by Playwright, never transformed.
//
// It gives tests one global, `E2E`, that records what the SDK emits as plain serialisable
// summaries (Contact objects become ids), so Node-side assertions can read them with
// page.evaluate and wait for them with page.waitForFunction.
/* global apiRTC -- Page globals: the SDK bundle and the harness scripts loaded before these functions run. */
(() => {
  if (window.E2E) return;

  const ids = (list) => (Array.isArray(list) ? list.map((c) => c.getId()) : []);
  const byGroup = (map) => {
    const out = {};
    for (const [group, list] of Object.entries(map || {})) out[group] = ids(list);
    return out;
  };

  const E2E = {
    /** Everything recorded, in arrival order: {type, at, ...summary}. */
    events: [],
    /** The UserAgent / Session created by E2E.register (tests may also set them). */
    ua: null,
    session: null,
    /** Any values a test wants to keep between evaluate calls. */
    keep: {},

    record(type, data) {
      E2E.events.push(Object.assign({ type, at: Date.now() }, data || {}));
    },
    of(type) {
      return E2E.events.filter((e) => e.type === type);
    },
    count(type) {
      return E2E.of(type).length;
    },

    /** True when the contact is the session's unique Contact object for its id. */
    isUnique(contact) {
      return !!E2E.session && E2E.session.getOrCreateContact(contact.getId()) === contact;
    },

    /** A rejection turned into {code, message} (ApiRTCError), or {thrown} for anything else. */
    error(e) {
      if (e && typeof e === 'object' && 'code' in e) {
        return { code: e.code, message: e.error && e.error.message !== undefined ? e.error.message : String(e.error) };
      }
      return { thrown: String(e) };
    },

    /** Summary of a contactListUpdate payload. */
    summarizeUpdate(u) {
      const all = [];
      for (const list of Object.values(u.joinedGroup || {})) all.push(...list);
      for (const list of Object.values(u.leftGroup || {})) all.push(...list);
      all.push(...(u.userDataChanged || []));
      const userData = {};
      for (const c of u.userDataChanged || []) {
        const d = c.getUserData();
        userData[c.getId()] = { status: d.get('status'), username: d.get('username'), name: c.getUsername() };
      }
      return {
        keys: Object.keys(u).sort(),
        joinedGroup: byGroup(u.joinedGroup),
        leftGroup: byGroup(u.leftGroup),
        userDataChanged: ids(u.userDataChanged),
        userData,
        allUnique: all.every((c) => E2E.isUnique(c)),
      };
    },

    /** Has any contactListUpdate announced `id` joining (or leaving) `group`? */
    joined(group, id) {
      return E2E.of('contactListUpdate').some((e) => (e.joinedGroup[group] || []).includes(id));
    },
    left(group, id) {
      return E2E.of('contactListUpdate').some((e) => (e.leftGroup[group] || []).includes(id));
    },
    dataChanged(id) {
      return E2E.of('contactListUpdate').filter((e) => e.userDataChanged.includes(id));
    },

    /** Records the Session events the tests look at. */
    watchSession(session) {
      session.on('contactListUpdate', (u) => E2E.record('contactListUpdate', E2E.summarizeUpdate(u)));
      session.on('contactData', (e) => E2E.record('contactData', { sender: e.sender.getId(), unique: E2E.isUnique(e.sender), content: e.content }));
      session.on('contactMessage', (e) =>
        E2E.record('contactMessage', {
          sender: e.sender.getId(),
          unique: E2E.isUnique(e.sender),
          content: e.content,
          uuid: e.uuid,
          uuidType: typeof e.uuid,
          timeIsDate: e.time instanceof Date,
        }),
      );
      session.on('customEvent', (e) =>
        E2E.record('customEvent', {
          sender: e.sender.getId(),
          unique: E2E.isUnique(e.sender),
          event: e.event,
          content: e.content,
        }),
      );
      for (const name of ['reconnecting', 'reconnection', 'disconnect', 'error']) {
        session.on(name, () => E2E.record(name));
      }
    },

    /** Records the events of one Contact (as seen by this page), prefixed `contact:`. */
    watchContact(id) {
      const contact = E2E.session.getOrCreateContact(id);
      contact.on('data', (content) => E2E.record('contact:data', { id, content }));
      contact.on('message', (m) => E2E.record('contact:message', { id, content: m.content, uuid: m.uuid, timeIsDate: m.time instanceof Date }));
      contact.on('customEvent', (e) => E2E.record('contact:customEvent', { id, event: e.event, content: e.content }));
      contact.on('joinGroup', (group) => E2E.record('contact:joinGroup', { id, group }));
      contact.on('leaveGroup', (group) => E2E.record('contact:leaveGroup', { id, group }));
      return contact;
    },

    /**
     * new UserAgent({uri}) + register(info); the Session listeners are attached only after
     * register() resolved, as apps do (the SDK must replay the early contactListUpdate).
     * Resolves the user id.
     */
    async register(info, uri) {
      const ua = new apiRTC.UserAgent({ uri: uri || 'apiKey:myDemoApiKey' });
      E2E.ua = ua;
      const session = await ua.register(info || {});
      E2E.session = session;
      E2E.watchSession(session);
      return session.getId();
    },

    /**
     * register() expected to fail: resolves its {code, message, registered} (registered = isRegistered()
     * afterwards), or {resolved: id} if it did not fail.
     */
    async registerError(info, uri) {
      const ua = new apiRTC.UserAgent({ uri });
      E2E.ua = ua;
      try {
        const session = await ua.register(info || {});
        return { resolved: session.getId() };
      } catch (e) {
        return Object.assign(E2E.error(e), { registered: ua.isRegistered() });
      }
    },
  };

  window.E2E = E2E;
})();
