// Load client of the sfu-fanout benchmark (a separate process, driven over IPC, so its CPU is
// never counted as the server's). Each subscriber is one signalling session (Parley: `ws` speaking
// docs/protocol.md; Janus: `janus-protocol` WebSocket, videoroom plugin) and one real WebRTC
// PeerConnection (node-datachannel / libdatachannel) answering the server's offer. Every received
// RTP packet of a counted subscriber is counted per SSRC: packets, bytes, first and highest
// extended sequence number (loss = expected − received). Counted are the first `sample`
// subscribers and then one in `every`: the others register no packet callback, since each costs
// this process a native → JS call per packet and would make the load client, not the server, the
// limit of a capacity probe. They report whether their connection and tracks are up; the harness
// adds the kernel's UDP drop counters to see that nothing was lost on their sockets either.
//
// IPC commands: {cmd:'parley', url, room, n, sample, every} · {cmd:'janus', …same, feed} ·
// {cmd:'stats'} → counters · {cmd:'close'}.
import nodeDataChannel from 'node-datachannel';
import WebSocket from 'ws';

const { PeerConnection } = nodeDataChannel;
const subscribers = [];
let nextUser = 1;

function counterFor(sub, ssrc) {
  let c = sub.ssrcs.get(ssrc);
  if (!c) {
    c = { packets: 0, bytes: 0, first: -1, highest: -1 };
    sub.ssrcs.set(ssrc, c);
  }
  return c;
}

/** Counts one RTP packet (RTCP ignored). */
function onPacket(sub, buf) {
  if (buf.length < 12 || buf[0] >> 6 !== 2) return;
  const pt = buf[1] & 0x7f;
  if (pt >= 64 && pt <= 95) return; // RTCP (200–223 with the marker bit)
  const seq = buf.readUInt16BE(2);
  const ssrc = buf.readUInt32BE(8);
  const c = counterFor(sub, ssrc);
  c.packets++;
  c.bytes += buf.length;
  if (c.first < 0) {
    c.first = seq;
    c.highest = seq;
    return;
  }
  // Extend the sequence number around the current highest.
  const cycle = c.highest & ~0xffff;
  let ext = cycle | seq;
  if (ext - c.highest > 0x8000) ext -= 0x10000;
  else if (c.highest - ext > 0x8000) ext += 0x10000;
  if (ext > c.highest) c.highest = ext;
}

function newPc(sub, onCandidate) {
  const pc = new PeerConnection(`sub${sub.index}`, { iceServers: [] });
  sub.pc = pc;
  sub.tracks = [];
  pc.onLocalCandidate((candidate, mid) => onCandidate(candidate, mid));
  pc.onTrack((track) => {
    sub.tracks.push(track); // keep the reference (GC stops delivery otherwise)
    if (sub.counted) track.onMessage((buf) => onPacket(sub, buf));
  });
  pc.onStateChange((s) => {
    sub.pcState = s;
  });
  return pc;
}

function openWs(url, protocol) {
  return new Promise((resolve, reject) => {
    const ws = protocol ? new WebSocket(url, protocol) : new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** One Parley subscriber: register, conv.join, conv.subscribe the first remote stream, answer offers. */
async function parleySubscriber(url, room, index, counted) {
  const sub = { index, counted, ssrcs: new Map(), pcState: 'new', kind: 'parley' };
  const ws = await openWs(url);
  sub.ws = ws;
  let id = 0;
  const pending = new Map();
  const request = (msg) =>
    new Promise((resolve, reject) => {
      const rid = ++id;
      pending.set(rid, { resolve, reject });
      ws.send(JSON.stringify({ ...msg, id: rid }));
    });
  let streamResolve;
  const firstStream = new Promise((r) => (streamResolve = r));
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'answer') {
      const p = pending.get(m.re);
      pending.delete(m.re);
      if (!p) return;
      if (m.ok) p.resolve(m.data);
      else p.reject(new Error(`${m.error?.code} ${m.error?.message}`));
    } else if (m.type === 'conv.stream' && m.change === 'added') {
      streamResolve(m.stream.streamId);
    } else if (m.type === 'media.subscriberOffer') {
      if (!sub.pc) {
        newPc(sub, (candidate, sdpMid) => request({ type: 'media.candidate', conversation: room, transport: 'subscriber', candidate, sdpMid }).catch(() => {}));
        sub.pc.onLocalDescription((sdp, type) => {
          if (type === 'answer') request({ type: 'media.subscriberAnswer', conversation: room, sdp }).catch((e) => (sub.error = String(e)));
        });
      }
      sub.pc.setRemoteDescription(m.sdp, 'offer');
    } else if (m.type === 'media.candidate' && m.transport === 'subscriber') {
      if (sub.pc && m.candidate) {
        try {
          sub.pc.addRemoteCandidate(m.candidate, m.sdpMid ?? '0');
        } catch {
          /* ignored */
        }
      }
    }
  });
  ws.on('close', () => (sub.closed = true));
  await request({ type: 'register', apiKey: 'myDemoApiKey', userId: `bench-sub-${process.pid}-${nextUser++}`, groups: [], subscribeTo: [], userData: {} });
  await request({ type: 'conv.join', conversation: room, meshModeEnabled: false, meshOnlyEnabled: false });
  const streamId = await firstStream;
  await request({ type: 'conv.subscribe', conversation: room, streamId, audio: true, video: true });
  sub.timer = setInterval(() => request({ type: 'ping' }).catch(() => {}), 20000);
  return sub;
}

/** One Janus videoroom subscriber: create, attach, join ptype subscriber, answer + start. */
async function janusSubscriber(url, room, feed, index, counted) {
  const sub = { index, counted, ssrcs: new Map(), pcState: 'new', kind: 'janus' };
  const ws = await openWs(url, 'janus-protocol');
  sub.ws = ws;
  let tx = 0;
  const pending = new Map();
  let sessionId;
  let handleId;
  const send = (msg, waitFor = 'success') =>
    new Promise((resolve, reject) => {
      const transaction = `t${++tx}`;
      pending.set(transaction, { resolve, reject, waitFor });
      ws.send(JSON.stringify({ ...msg, transaction, ...(sessionId ? { session_id: sessionId } : {}), ...(handleId ? { handle_id: handleId } : {}) }));
    });
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    const p = m.transaction && pending.get(m.transaction);
    if (p) {
      if (m.janus === 'error') {
        pending.delete(m.transaction);
        p.reject(new Error(`janus error ${m.error?.code} ${m.error?.reason}`));
      } else if (m.janus === p.waitFor || (p.waitFor === 'event' && m.janus === 'event')) {
        pending.delete(m.transaction);
        p.resolve(m);
      }
      // 'ack' is skipped
    }
  });
  ws.on('close', () => (sub.closed = true));
  sessionId = (await send({ janus: 'create' })).data.id;
  handleId = (await send({ janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
  const trickle = (candidate, sdpMid) =>
    ws.send(JSON.stringify({ janus: 'trickle', transaction: `c${++tx}`, session_id: sessionId, handle_id: handleId, candidate: { candidate, sdpMid } }));
  const joined = await send({ janus: 'message', body: { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] } }, 'event');
  const ev = joined.plugindata?.data;
  if (ev?.error) throw new Error(`janus join subscriber: ${ev.error_code} ${ev.error}`);
  if (!joined.jsep) throw new Error(`janus join subscriber: no offer (${JSON.stringify(joined).slice(0, 300)})`);
  newPc(sub, trickle);
  const answer = new Promise((resolve) => sub.pc.onLocalDescription((sdp, type) => type === 'answer' && resolve(sdp)));
  sub.pc.setRemoteDescription(joined.jsep.sdp, 'offer');
  const sdp = await answer;
  const started = await send({ janus: 'message', body: { request: 'start', room }, jsep: { type: 'answer', sdp } }, 'event');
  if (started.plugindata?.data?.error) throw new Error(`janus start: ${started.plugindata.data.error}`);
  sub.timer = setInterval(() => ws.send(JSON.stringify({ janus: 'keepalive', session_id: sessionId, transaction: `k${++tx}` })), 20000);
  return sub;
}

async function addMany(n, make) {
  const made = [];
  // A few at a time: the server negotiates each one.
  for (let i = 0; i < n; i += 10) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 10); j++) batch.push(make(subscribers.length + j));
    made.push(...(await Promise.all(batch)));
  }
  subscribers.push(...made);
  return made.length;
}

/** Connection connected and every received track open. */
function isUp(s) {
  try {
    return s.pcState === 'connected' && s.tracks.length > 0 && s.tracks.every((t) => t.isOpen());
  } catch {
    return false; // closed
  }
}

function stats() {
  return subscribers.map((s) => ({
    pcState: s.pcState,
    counted: s.counted,
    up: isUp(s),
    closed: !!s.closed,
    error: s.error,
    ssrcs: [...s.ssrcs].map(([ssrc, c]) => ({ ssrc, packets: c.packets, bytes: c.bytes, expected: c.first < 0 ? 0 : c.highest - c.first + 1 })),
  }));
}

function closeAll() {
  for (const s of subscribers.splice(0)) {
    clearInterval(s.timer);
    try {
      s.pc?.close();
    } catch {
      /* closed */
    }
    try {
      s.ws?.close();
    } catch {
      /* closed */
    }
  }
}

process.on('message', async (msg) => {
  const reply = (ok, resultOrError) =>
    process.send(ok ? { rid: msg.rid, ok, result: resultOrError } : { rid: msg.rid, ok, error: String(resultOrError?.stack ?? resultOrError) });
  try {
    const counted = (i) => i < (msg.sample ?? Infinity) || i % (msg.every ?? 1) === 0;
    if (msg.cmd === 'parley') reply(true, await addMany(msg.n, (i) => parleySubscriber(msg.url, msg.room, i, counted(i))));
    else if (msg.cmd === 'janus') reply(true, await addMany(msg.n, (i) => janusSubscriber(msg.url, msg.room, msg.feed, i, counted(i))));
    else if (msg.cmd === 'stats') reply(true, stats());
    else if (msg.cmd === 'close') {
      closeAll();
      reply(true, null);
    } else reply(false, `unknown command ${msg.cmd}`);
  } catch (err) {
    reply(false, err);
  }
});
process.on('disconnect', () => {
  closeAll();
  process.exit(0);
});
console.log(JSON.stringify({ ready: true }));
