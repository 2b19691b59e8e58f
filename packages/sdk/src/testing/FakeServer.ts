/*
 * In-memory stand-in for the Parley server, for unit tests of the engine and the facade: a
 * WebSocket class and a fetch function wired to it, speaking the protocol of docs/protocol.md
 * closely enough to exercise registration, requests, events with seq, resume with replay and
 * request-id memory, refusals and close codes. No sockets, no timers of its own beyond the
 * asynchronous open/close a real socket has (so vitest fake timers drive everything).
 */
import type { ClientMessage, ContactInfo, ServerMessage, UnsequencedEvent } from '@parley/protocol';
import type { WebSocketFactory, WebSocketLike } from '../engine/SignalClient.js';

type Answer = Extract<ServerMessage, { type: 'answer' }>;

/** One fake socket, client side. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  /** Session attached by a successful register/resume on this socket. */
  attached = false;
  readonly #server: FakeServer;

  constructor(
    server: FakeServer,
    readonly url: string,
  ) {
    this.#server = server;
    server.sockets.push(this);
    setTimeout(() => {
      if (server.refuseConnections) {
        this.readyState = 3;
        this.onclose?.({ code: 1006, reason: 'refused' });
        return;
      }
      this.readyState = 1;
      this.onopen?.({});
    }, 0);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('socket not open');
    const message = JSON.parse(data) as ClientMessage;
    queueMicrotask(() => this.#server.handle(this, message));
  }

  close(code = 1005, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.#server.onClientClose(this);
    setTimeout(() => this.onclose?.({ code, reason }), 0);
  }

  /**
   * Server side: delivers a frame (dropped when the socket is not open). Each frame is its own
   * task, as in browsers, so promise continuations of one answer run before the next frame.
   */
  deliver(message: unknown): void {
    const data = typeof message === 'string' ? message : JSON.stringify(message);
    setTimeout(() => {
      if (this.readyState === 1) this.onmessage?.({ data });
    }, 0);
  }

  /** Server side: closes with `code` after the frames already sent, as the server or the network would. */
  serverClose(code: number): void {
    this.#server.onClientClose(this);
    setTimeout(() => {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.onclose?.({ code, reason: '' });
    }, 0);
  }
}

/** Server state of one fake session. */
export class FakeServer {
  /** `idTicket` of the register answer (anonymous users of keys without chosen ids). */
  idTicket: string | undefined;
  readonly sockets: FakeSocket[] = [];
  /** Every client message received, in order. */
  readonly received: ClientMessage[] = [];
  /** How many times each request id was executed (answers to repeated ids come from memory). */
  readonly executions = new Map<number, number>();
  /** Members per group, sent as the snapshot after register (the local user is filtered out). */
  snapshot: Record<string, ContactInfo[]> = {};
  refuseConnections = false;
  refuseResume = false;
  registerRefusal: string | undefined;
  /** When false, requests (other than handshakes) get no answer. */
  autoAnswer = true;
  /** When true, requests are executed and their answers remembered but not sent (lost answers). */
  loseAnswers = false;
  /**
   * Custom answers (conversation tests): return `{data}` or `{error}` to answer a request, or
   * undefined for the default (ok, no data).
   */
  respond: ((message: ClientMessage) => { data?: unknown } | { error: { code: number; message: string } } | undefined) | undefined;
  /** Users considered present for contact.send (others get 8). */
  present = new Set<string>();
  userId = '';
  #nextUserId = 1000;
  #seq = 0;
  #undelivered: ServerMessage[] = [];
  readonly #answers = new Map<number, Answer>();
  #uuid = 0;
  /** Current resume token: a new one at every resume, the old one refused (as the server does). */
  #resumeToken = 'rt';
  #resumes = 0;

  /** `WebSocket` constructor bound to this server. */
  readonly WebSocket: WebSocketFactory;
  /** `fetch` answering the lookup. */
  readonly fetch: typeof fetch;

  constructor() {
    this.WebSocket = socketClassFor(this);
    // A plain object rather than a Response: reading a real body takes real I/O turns, which fake
    // timers do not drive.
    this.fetch = (async (input: RequestInfo | URL) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const found = url.endsWith('/api/v1/lookup');
      return { ok: found, status: found ? 200 : 404, json: async () => ({ wsPath: '/ws', serverVersion: 'fake', protocolVersion: 1 }) };
    }) as unknown as typeof fetch;
  }

  /** The socket with an attached session, if any. */
  get current(): FakeSocket | undefined {
    return this.sockets.filter((s) => s.attached && s.readyState === 1).at(-1);
  }

  /** Messages of one type received so far. */
  of<T extends ClientMessage['type']>(type: T): Extract<ClientMessage, { type: T }>[] {
    return this.received.filter((m): m is Extract<ClientMessage, { type: T }> => m.type === type);
  }

  /** Sends an event with the next seq, or keeps it for the replay after a resume. */
  push(event: UnsequencedEvent): void {
    const message = { ...event, seq: ++this.#seq } as ServerMessage;
    const socket = this.current;
    if (socket) socket.deliver(message);
    else this.#undelivered.push(message);
  }

  /** Answers a request by hand (when `autoAnswer` is off). */
  answer(id: number, data?: unknown): void {
    this.#reply(this.current, { type: 'answer', re: id, ok: true, ...(data === undefined ? {} : { data }) });
  }

  handle(socket: FakeSocket, message: ClientMessage): void {
    this.received.push(message);
    switch (message.type) {
      case 'register': {
        if (this.registerRefusal !== undefined) {
          socket.deliver({ type: 'answer', re: message.id, ok: false, error: { code: 5, message: this.registerRefusal } });
          socket.serverClose(4003);
          return;
        }
        this.userId = message.userId ?? String(this.#nextUserId++);
        this.#seq = 0;
        this.#undelivered = [];
        this.#answers.clear();
        socket.attached = true;
        this.#resumeToken = 'rt';
        this.#resumes = 0;
        socket.deliver({
          type: 'answer',
          re: message.id,
          ok: true,
          data: {
            userId: this.userId,
            resumeToken: this.#resumeToken,
            resumeWindowMs: 10_000,
            heartbeatMs: 20_000,
            serverVersion: 'fake',
            ...(this.idTicket !== undefined ? { idTicket: this.idTicket } : {}),
          },
        });
        const joinedGroup: Record<string, ContactInfo[]> = {};
        for (const g of new Set([...message.groups, ...message.subscribeTo])) joinedGroup[g] = (this.snapshot[g] ?? []).filter((c) => c.id !== this.userId);
        this.push({ type: 'presence', joinedGroup, leftGroup: {}, userDataChanged: [] });
        return;
      }
      case 'resume': {
        if (this.refuseResume || message.resumeToken !== this.#resumeToken) {
          socket.deliver({ type: 'answer', re: message.id, ok: false, error: { code: 5, message: 'session expired' } });
          socket.serverClose(4003);
          return;
        }
        socket.attached = true;
        const replay = this.#undelivered.filter((m) => 'seq' in m && m.seq > message.lastSeq);
        this.#undelivered = [];
        this.#resumeToken = `rt${++this.#resumes + 1}`;
        socket.deliver({ type: 'answer', re: message.id, ok: true, data: { userId: this.userId, resumeToken: this.#resumeToken, replayed: replay.length } });
        for (const m of replay) socket.deliver(m);
        return;
      }
      default:
        break;
    }
    const remembered = this.#answers.get(message.id);
    if (remembered) {
      socket.deliver(remembered);
      return;
    }
    this.executions.set(message.id, (this.executions.get(message.id) ?? 0) + 1);
    if (!this.autoAnswer) return;
    if (message.type === 'contact.send' && !this.present.has(message.to)) {
      this.#reply(socket, { type: 'answer', re: message.id, ok: false, error: { code: 8, message: 'contact not found' } });
      return;
    }
    const custom = this.respond?.(message);
    if (custom && 'error' in custom) {
      this.#reply(socket, { type: 'answer', re: message.id, ok: false, error: custom.error });
      return;
    }
    if (custom) {
      this.#reply(socket, { type: 'answer', re: message.id, ok: true, ...(custom.data === undefined ? {} : { data: custom.data }) });
      return;
    }
    const data = message.type === 'contact.send' ? { uuid: ++this.#uuid } : undefined;
    this.#reply(socket, { type: 'answer', re: message.id, ok: true, ...(data ? { data } : {}) });
    if (message.type === 'unregister') socket.serverClose(4000);
  }

  onClientClose(socket: FakeSocket): void {
    socket.attached = false;
  }

  #reply(socket: FakeSocket | undefined, answer: Answer): void {
    this.#answers.set(answer.re, answer);
    if (!this.loseAnswers) socket?.deliver(answer);
  }
}

/** A `WebSocket` constructor whose sockets connect to `server`. */
function socketClassFor(server: FakeServer): WebSocketFactory {
  return class extends FakeSocket {
    constructor(url: string) {
      super(server, url);
    }
  };
}
