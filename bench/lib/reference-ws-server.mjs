// The reference for the signalling benchmark: the least a Node WebSocket server can do to carry
// the same traffic as Parley. It speaks the subset of Parley's wire protocol the load generator
// uses (register, userData.set, contact.send, conv.join, conv.message, ping) with the same message shapes, so both servers
// see identical frames, but it does only what routing needs: JSON.parse, a Map lookup, one
// JSON.stringify per outgoing message (once per broadcast), ws.send. No validation, no sessions,
// no sequence numbers, replay buffers, rate limits, auth or logging. Joins are batched per tick
// like Parley's presence (one frame per watcher per tick, built once), because without it the
// reference would send N² frames where Parley sends N and would not carry "the same traffic";
// unlike Parley, a joiner is not filtered out of the batch it is in.
//
//   PORT=0 node bench/lib/reference-ws-server.mjs   → prints {"ready":true,"port":N}
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const users = new Map(); // userId → socket
const groups = new Map(); // name → { members: Set<socket>, watchers: Set<socket> }
let uuid = 0;
let anonymous = 0;

const pendingJoins = new Map(); // group name → members who joined during this tick
let flushScheduled = false;

function flushJoins() {
  flushScheduled = false;
  for (const [name, joined] of pendingJoins) {
    const frame = JSON.stringify({ type: 'presence', seq: 0, joinedGroup: { [name]: joined }, leftGroup: {}, userDataChanged: [] });
    for (const w of group(name).watchers) w.send(frame);
  }
  pendingJoins.clear();
}

function group(name) {
  let g = groups.get(name);
  if (!g) groups.set(name, (g = { members: new Set(), watchers: new Set() }));
  return g;
}

const http = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(req.url === '/healthz' ? '{"ok":true}' : '{}');
});
const wss = new WebSocketServer({ server: http, path: '/ws' });

wss.on('connection', (ws) => {
  ws.userId = null;
  ws.userData = {};
  ws.joined = [];
  ws.on('message', (data) => {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    const answer = (ok, body) => ws.send(JSON.stringify({ type: 'answer', re: msg.id, ok, ...body }));
    switch (msg.type) {
      case 'register': {
        ws.userId = msg.userId ?? String(++anonymous);
        ws.userData = msg.userData ?? {};
        users.set(ws.userId, ws);
        answer(true, { data: { userId: ws.userId } });
        const me = { id: ws.userId, userData: ws.userData };
        for (const name of msg.groups ?? []) {
          const g = group(name);
          g.members.add(ws);
          g.watchers.add(ws);
          ws.joined.push(name);
          if (!pendingJoins.has(name)) pendingJoins.set(name, []);
          pendingJoins.get(name).push(me);
          if (!flushScheduled) {
            flushScheduled = true;
            setImmediate(flushJoins);
          }
        }
        for (const name of msg.subscribeTo ?? []) group(name).watchers.add(ws);
        for (const name of [...(msg.groups ?? []), ...(msg.subscribeTo ?? [])]) {
          const others = [...group(name).members].filter((m) => m !== ws).map((m) => ({ id: m.userId, userData: m.userData }));
          if (others.length) {
            ws.send(JSON.stringify({ type: 'presence', seq: 0, joinedGroup: { [name]: others }, leftGroup: {}, userDataChanged: [] }));
          }
        }
        return;
      }
      case 'userData.set': {
        ws.userData = msg.userData;
        answer(true, {});
        const frame = JSON.stringify({
          type: 'presence',
          seq: 0,
          joinedGroup: {},
          leftGroup: {},
          userDataChanged: [{ id: ws.userId, userData: ws.userData }],
        });
        const seen = new Set([ws]);
        for (const name of ws.joined) {
          for (const w of group(name).watchers) {
            if (seen.has(w)) continue;
            seen.add(w);
            w.send(frame);
          }
        }
        return;
      }
      case 'conv.join': {
        // A conversation's members form a presence group, as in Parley: join batched per tick.
        const name = msg.conversation;
        const g = group(name);
        const others = [...g.members].filter((m) => m !== ws).map((m) => ({ id: m.userId, userData: m.userData }));
        g.members.add(ws);
        g.watchers.add(ws);
        ws.joined.push(name);
        if (!pendingJoins.has(name)) pendingJoins.set(name, []);
        pendingJoins.get(name).push({ id: ws.userId, userData: ws.userData });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flushJoins);
        }
        answer(true, { data: { mode: 'sfu', meshOnly: false } });
        if (others.length) ws.send(JSON.stringify({ type: 'presence', seq: 0, joinedGroup: { [name]: others }, leftGroup: {}, userDataChanged: [] }));
        return;
      }
      case 'conv.message': {
        const id = ++uuid;
        const frame = JSON.stringify({
          type: 'conv.message',
          seq: 0,
          conversation: msg.conversation,
          from: ws.userId,
          content: msg.content,
          uuid: id,
          time: Date.now(),
        });
        for (const m of group(msg.conversation).members) if (m !== ws) m.send(frame);
        return answer(true, { data: { uuid: id } });
      }
      case 'contact.send': {
        const target = users.get(msg.to);
        if (!target) return answer(false, { error: { code: 8, message: 'contact not found' } });
        const id = ++uuid;
        target.send(JSON.stringify({ type: 'contact.message', seq: 0, from: ws.userId, content: msg.content, uuid: id, time: Date.now() }));
        return answer(true, { data: { uuid: id } });
      }
      default:
        return answer(true, {});
    }
  });
  ws.on('close', () => {
    if (ws.userId !== null && users.get(ws.userId) === ws) users.delete(ws.userId);
    for (const g of groups.values()) {
      g.members.delete(ws);
      g.watchers.delete(ws);
    }
  });
});

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ ready: true, port: http.address().port }));
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
