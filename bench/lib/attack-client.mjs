// A raw signalling client for the attack benchmark: one WebSocket, requests with increasing
// ids, answers matched by `re`, server events ignored (but read, so the client is never dropped
// for not reading).
import WebSocket from 'ws';

export const API_KEY = 'myDemoApiKey';

export class AttackClient {
  #ws;
  #nextId = 1;
  #pending = new Map();
  closed = false;

  static async open(url) {
    const c = new AttackClient();
    c.#ws = new WebSocket(url, { maxPayload: 256 * 1024 * 1024 });
    c.#ws.on('message', (data) => c.#onMessage(data.toString()));
    c.#ws.on('close', (code) => {
      c.closed = true;
      for (const p of c.#pending.values()) p.resolve({ ok: false, error: { code: -1, message: `socket closed ${code}` } });
      c.#pending.clear();
    });
    c.#ws.on('error', () => undefined);
    await new Promise((resolve, reject) => {
      c.#ws.once('open', resolve);
      c.#ws.once('close', () => reject(new Error('socket closed before open')));
    });
    return c;
  }

  /** Sends `{...frame, id}`; resolves its answer `{ok, data?, error?}` (never rejects). */
  request(frame, timeoutMs = 30_000) {
    if (this.closed) return Promise.resolve({ ok: false, error: { code: -1, message: 'socket closed' } });
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ ok: false, error: { code: -2, message: `no answer within ${timeoutMs} ms` } });
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      });
      this.#ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  async register(extra = {}) {
    const a = await this.request({ type: 'register', apiKey: API_KEY, groups: ['default'], subscribeTo: ['default'], userData: {}, ...extra });
    if (!a.ok) throw new Error(`register refused: ${JSON.stringify(a.error)}`);
    return a.data.userId;
  }

  close() {
    this.#ws.close();
  }

  #onMessage(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.type !== 'answer') return;
    const p = this.#pending.get(msg.re);
    if (!p) return;
    this.#pending.delete(msg.re);
    p.resolve(msg);
  }
}
