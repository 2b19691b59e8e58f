// Injected into conversation test pages (after the SDK): `CONV` drives one Conversation and records
// its events into E2E.events as serialisable summaries. Plain browser JavaScript, never transformed.
/* global E2E, apiRTC, Parley -- Page globals: the SDK bundle and the harness scripts loaded before these functions run. */
(() => {
  if (window.CONV) return;
  const info = (i) => ({
    streamId: i.streamId,
    listEventType: i.listEventType,
    isRemote: i.isRemote,
    contactId: i.contact && i.contact.getId(),
    unique: !!i.contact && (E2E.session.getOrCreateContact(i.contact.getId()) === i.contact || i.contact.getId() === E2E.session.getId()),
    infoType: i.type,
    callId: i.callId,
    hasAudio: i.hasAudio,
    hasVideo: i.hasVideo,
    isAudioMuted: i.isAudioMuted,
    isVideoMuted: i.isVideoMuted,
    isScreensharing: i.isScreensharing,
    context: i.context,
  });
  const plain = (x) => JSON.parse(JSON.stringify(x === undefined ? null : x));
  // apiRTC rejects with {code, error, fromError}, which Playwright reports as "Object": turn it
  // into an Error whose message says what failed and why.
  const explained = (e) => {
    if (e instanceof Error) return e;
    const cause = e && e.fromError;
    const why = cause instanceof Error ? cause.message : cause && cause.error instanceof Error ? cause.error.message : JSON.stringify(cause);
    return new Error(`code ${e && e.code}: ${e && e.error instanceof Error ? e.error.message : JSON.stringify(e)}${cause === undefined ? '' : ` (${why})`}`);
  };
  const CONV = {
    conv: null,
    remote: {},
    local: {},
    async join(name, opts) {
      const conv = E2E.session.getOrCreateConversation(name, opts || {});
      CONV.conv = conv;
      conv.on('streamListChanged', (i) => E2E.record('streamListChanged', info(i)));
      conv.on('streamAdded', (s) => {
        CONV.remote[s.streamId] = s;
        E2E.record('streamAdded', { streamId: s.streamId, isRemote: s.isRemote, contactId: s.getContact() && s.getContact().getId(), callId: s.callId });
        for (const ev of ['remoteAudioFlowStatusChanged', 'remoteVideoFlowStatusChanged', 'constraintsChanged']) {
          s.on(ev, (p) => E2E.record(`remote:${ev}`, { streamId: s.streamId, payload: plain(p) }));
        }
      });
      conv.on('streamRemoved', (s) => E2E.record('streamRemoved', { streamId: s.streamId, same: CONV.remote[s.streamId] === s }));
      conv.on('contactJoined', (c) => E2E.record('contactJoined', { id: c.getId(), unique: E2E.isUnique(c) }));
      conv.on('contactLeft', (c) => E2E.record('contactLeft', { id: c.getId() }));
      conv.on('message', (m) =>
        E2E.record('message', {
          senderId: m.sender.getId(),
          sender_id: m.sender_id,
          content: m.content,
          isDate: m.time instanceof Date,
          metadata: plain(m.metadata),
        }),
      );
      conv.on('data', (m) => E2E.record('data', { senderId: m.sender.getId(), content: plain(m.content) }));
      conv.on('customEvent', (m) => E2E.record('customEvent', { event: m.event, senderId: m.sender.getId(), content: plain(m.content) }));
      for (const ev of ['hangup', 'roomModeChanged', 'remoteStreamUpdated', 'localStreamUpdated', 'error', 'disconnectionWarning', 'joined', 'left']) {
        conv.on(ev, (p) => E2E.record(ev, { payload: plain(p && p.streamInfo ? { streamId: p.streamInfo.streamId } : p) }));
      }
      return plain(await conv.join());
    },
    async publishCamera(key, options) {
      const s = await E2E.ua.createStream({ constraints: { audio: true, video: { width: 320, height: 240 } } });
      CONV.local[key || 'camera'] = s;
      s.on('constraintsChanged', (p) => E2E.record('local:constraintsChanged', { streamId: s.streamId, payload: plain(p) }));
      const out = await CONV.conv.publish(s, options);
      return { streamId: s.streamId, same: out === s };
    },
    async publishScreen() {
      const s = await apiRTC.Stream.createDisplayMediaStream({ video: { width: 640, height: 360 }, audio: false });
      CONV.local.screen = s;
      await CONV.conv.publish(s);
      return s.streamId;
    },
    remoteIds() {
      return CONV.conv
        .getAvailableStreamList()
        .filter((i) => i.isRemote)
        .map((i) => i.streamId);
    },
    async subscribe(id, opts) {
      const s = await CONV.conv.subscribeToStream(id, opts).catch((e) => Promise.reject(explained(e)));
      return { streamId: s.streamId, sameAsAdded: CONV.remote[s.streamId] === s, isRemote: s.isRemote };
    },
    /** Inbound-rtp totals over every SDK peer connection of the page. */
    async inbound() {
      let framesDecoded = 0;
      let audioPackets = 0;
      let videoPackets = 0;
      for (const pc of Parley.debug.peerConnections()) {
        const stats = await pc.getStats();
        stats.forEach((r) => {
          if (r.type !== 'inbound-rtp') return;
          if (r.kind === 'video') {
            framesDecoded += r.framesDecoded || 0;
            videoPackets += r.packetsReceived || 0;
          } else if (r.kind === 'audio') audioPackets += r.packetsReceived || 0;
        });
      }
      return { framesDecoded, audioPackets, videoPackets };
    },
    show(id) {
      let div = document.getElementById('remotes');
      if (!div) {
        div = document.createElement('div');
        div.id = 'remotes';
        document.body.appendChild(div);
      }
      CONV.remote[id].addInDiv('remotes', `remote-${id}`, {}, true);
    },
    videoWidth(id) {
      const el = document.getElementById(`remote-${id}`);
      return el ? el.videoWidth : -1;
    },
    err: (e) => E2E.error(e),
  };
  window.CONV = CONV;
})();
