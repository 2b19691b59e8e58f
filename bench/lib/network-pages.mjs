// In-page functions of the network benchmark: the subscriber (Parley SDK or Janus videoroom API)
// that plays one remote camera, and its inbound-video counters read from getStats.
/* global B -- Page global set by PAGE_REGISTER (media-bench.mjs). */

/** In-page, Parley: joins `room`, subscribes to the first remote stream, plays it. Resolves when it is added. */
export const PAGE_PARLEY_SUBSCRIBE = async (room) => {
  const conv = B.session.getOrCreateConversation(room, {});
  let subscribed = false;
  const added = new Promise((resolve) => {
    conv.on('streamAdded', (s) => {
      const v = document.createElement('video');
      v.muted = true;
      v.autoplay = true;
      document.body.appendChild(v);
      s.attachToElement(v);
      v.play().catch(() => {});
      resolve(s.getId());
    });
  });
  const trySubscribe = (id) => {
    if (subscribed) return;
    subscribed = true;
    conv.subscribeToStream(id);
  };
  conv.on('streamListChanged', (i) => {
    if (i.listEventType === 'added' && i.isRemote) trySubscribe(i.streamId);
  });
  await conv.join();
  for (const i of conv.getAvailableStreamList()) if (i.isRemote) trySubscribe(i.streamId);
  return added;
};

/** In-page, Janus: a videoroom subscriber to `feed` (Janus picks the substream: its default, the top one). */
export const PAGE_JANUS_SUBSCRIBE = async ({ url, room, feed }) => {
  const ws = new WebSocket(url, 'janus-protocol');
  await new Promise((res, rej) => {
    ws.onopen = res;
    ws.onerror = () => rej(new Error('janus websocket failed'));
  });
  let tx = 0;
  const pending = new Map();
  const ids = {};
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    const p = m.transaction && pending.get(m.transaction);
    if (!p) return;
    if (m.janus === 'error') {
      pending.delete(m.transaction);
      p.reject(new Error('janus error ' + JSON.stringify(m.error)));
    } else if (m.janus === p.waitFor) {
      pending.delete(m.transaction);
      p.resolve(m);
    }
  };
  const send = (msg, waitFor = 'success') =>
    new Promise((resolve, reject) => {
      const transaction = 's' + ++tx;
      pending.set(transaction, { resolve, reject, waitFor });
      ws.send(JSON.stringify(Object.assign({}, msg, { transaction }, ids)));
    });
  ids.session_id = (await send({ janus: 'create' })).data.id;
  ids.handle_id = (await send({ janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
  const joined = await send({ janus: 'message', body: { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] } }, 'event');
  if (!joined.jsep) throw new Error('janus join subscriber: no offer ' + JSON.stringify(joined).slice(0, 300));
  const pc = new RTCPeerConnection();
  pc.onicecandidate = (e) =>
    ws.send(
      JSON.stringify(Object.assign({ janus: 'trickle', transaction: 'c' + ++tx, candidate: e.candidate ? e.candidate.toJSON() : { completed: true } }, ids)),
    );
  pc.ontrack = (e) => {
    if (e.track.kind !== 'video') return;
    const v = document.createElement('video');
    v.muted = true;
    v.autoplay = true;
    document.body.appendChild(v);
    v.srcObject = new MediaStream([e.track]);
    v.play().catch(() => {});
  };
  await pc.setRemoteDescription(joined.jsep);
  await pc.setLocalDescription();
  await send({ janus: 'message', body: { request: 'start', room }, jsep: { type: 'answer', sdp: pc.localDescription.sdp } }, 'event');
  setInterval(() => ws.send(JSON.stringify(Object.assign({ janus: 'keepalive', transaction: 'k' + ++tx }, { session_id: ids.session_id }))), 20000);
  window.JSUB = { ws, pc };
  return true;
};

/** In-page: inbound video totals of the subscriber's connections ('janus' or the Parley SDK's). */
export const PAGE_INBOUND = async (which) => {
  const list = which === 'janus' ? (window.JSUB ? [window.JSUB.pc] : []) : window.Parley.debug.peerConnections();
  const out = { frames: 0, freezeS: 0, freezes: 0, bytes: 0, width: 0, state: 'none', at: performance.now() };
  for (const pc of list) {
    out.state = pc.connectionState;
    const stats = await pc.getStats();
    stats.forEach((r) => {
      if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
      out.frames += r.framesDecoded || 0;
      out.freezeS += r.totalFreezesDuration || 0;
      out.freezes += r.freezeCount || 0;
      out.bytes += r.bytesReceived || 0;
      out.width = r.frameWidth || out.width;
    });
  }
  return out;
};
