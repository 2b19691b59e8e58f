import { type AnswerError, type AnswerOk, type RegisterResult, type ResumeResult, ServerMessage, type ServerEvent } from '@parley/protocol';
import { WebSocket } from 'ws';

/** Any answer. */
export type Answer = AnswerOk | AnswerError;
/** A request without its id (the client numbers it). */
export type Request = { type: string; id?: number } & Record<string, unknown>;

/** Options of {@link TestClient.connect}. */
export interface ConnectOptions {
  origin?: string;
}

/** Options of {@link TestClient.register}. */
export interface RegisterOptions {
  apiKey?: string;
  userId?: string;
  token?: string;
  groups?: string[];
  subscribeTo?: string[];
  userData?: Record<string, unknown>;
}

type Waiter<T> = { accept: (value: T) => boolean; resolve: (value: T) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * A minimal signalling client for integration tests: numbers requests, correlates answers,
 * queues events, validates every server message against the protocol schemas (violations are
 * collected in `violations`), and exposes the close code.
 */
export class TestClient {
  readonly ws: WebSocket;
  /** Server messages that failed the protocol schemas (should stay empty). */
  readonly violations: string[] = [];
  /** Protocol errors received (frames whose id could not be read). */
  readonly protocolErrors: { code: number; message: string }[] = [];
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Highest event seq received. */
  lastSeq = 0;
  nextId = 1;
  readonly #answers: Answer[] = [];
  readonly #events: ServerEvent[] = [];
  readonly #answerWaiters: Waiter<Answer>[] = [];
  readonly #eventWaiters: Waiter<ServerEvent>[] = [];
  readonly #protocolWaiters: Waiter<{ code: number; message: string }>[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        const error = new Error(`socket closed (${code})`);
        for (const w of [...this.#answerWaiters, ...this.#eventWaiters, ...this.#protocolWaiters]) {
          clearTimeout(w.timer);
          w.reject(error);
        }
        this.#answerWaiters.length = 0;
        this.#eventWaiters.length = 0;
        this.#protocolWaiters.length = 0;
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('message', (data) =>
      this.#onMessage((Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data).toString()),
    );
    ws.on('error', () => {
      /* surfaced through `closed` */
    });
  }

  /** Opens a socket on `${baseUrl}/ws`. */
  static connect(baseUrl: string, options: ConnectOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/ws', { headers: options.origin ? { origin: options.origin } : {} });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Connects and registers; throws when registration fails. */
  static async registered(
    baseUrl: string,
    options: RegisterOptions = {},
    connect: ConnectOptions = {},
  ): Promise<{ client: TestClient; result: RegisterResult }> {
    const client = await TestClient.connect(baseUrl, connect);
    const answer = await client.register(options);
    if (!answer.ok) throw new Error(`register failed: ${answer.error.code} ${answer.error.message}`);
    return { client, result: answer.data as RegisterResult };
  }

  /** Sends `register` (defaults: demo key, no groups) and returns the answer. */
  register(options: RegisterOptions = {}): Promise<Answer> {
    return this.request({
      type: 'register',
      apiKey: options.apiKey ?? 'myDemoApiKey',
      ...(options.userId !== undefined ? { userId: options.userId } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
      groups: options.groups ?? [],
      subscribeTo: options.subscribeTo ?? [],
      userData: options.userData ?? {},
    });
  }

  /** Sends `resume` with this client's lastSeq unless given. */
  async resume(resumeToken: string, lastSeq = this.lastSeq): Promise<Answer & { data?: ResumeResult }> {
    return (await this.request({ type: 'resume', resumeToken, lastSeq })) as Answer & { data?: ResumeResult };
  }

  /** Sends a request (numbered unless `id` is given) and waits for its answer. */
  request(message: Request, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Answer> {
    const id = message.id ?? this.nextId++;
    const waiting = this.nextAnswer(id, timeoutMs);
    this.ws.send(JSON.stringify({ ...message, id }));
    return waiting;
  }

  /** Waits for the next answer to `id` (already received ones count). */
  nextAnswer(id: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Answer> {
    return this.#take(this.#answers, this.#answerWaiters, (a) => a.re === id, `answer to ${id}`, timeoutMs);
  }

  /** Sends a request without waiting; returns its id. */
  send(message: Request): number {
    const id = message.id ?? this.nextId++;
    this.ws.send(JSON.stringify({ ...message, id }));
    return id;
  }

  /**
   * Sends several requests in ONE write (socket corked), so they reach the server in one read
   * and are handled within one tick. Returns their ids.
   */
  sendBatch(messages: Request[]): number[] {
    const socket = (this.ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.cork();
    const ids = messages.map((m) => this.send(m));
    process.nextTick(() => socket.uncork());
    return ids;
  }

  /** Sends a raw text frame. */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Waits for the next event matching `filter` (earlier non-matching events stay queued). */
  nextEvent<T extends ServerEvent['type']>(
    type?: T,
    filter: (e: Extract<ServerEvent, { type: T }>) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<Extract<ServerEvent, { type: T }>> {
    return this.#take(
      this.#events,
      this.#eventWaiters,
      (e) => (type === undefined || e.type === type) && filter(e as Extract<ServerEvent, { type: T }>),
      `event ${type ?? '(any)'}`,
      timeoutMs,
    ) as Promise<Extract<ServerEvent, { type: T }>>;
  }

  /** Answers received and not consumed yet. */
  pendingAnswers(): Answer[] {
    return [...this.#answers];
  }

  /** Events received and not consumed yet. */
  pendingEvents(): ServerEvent[] {
    return [...this.#events];
  }

  /** Waits for the next protocolError notice. */
  nextProtocolError(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<{ code: number; message: string }> {
    const queue = this.protocolErrors;
    return this.#take(queue, this.#protocolWaiters, () => true, 'protocolError', timeoutMs);
  }

  /** Closes normally and waits for the close. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    await this.closed;
  }

  /** Drops the TCP connection without close handshake (network loss). */
  async drop(): Promise<void> {
    this.ws.terminate();
    await this.closed;
  }

  #onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.violations.push(`not JSON: ${text.slice(0, 200)}`);
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      this.violations.push(`${text.slice(0, 200)} :: ${parsed.error.message.slice(0, 300)}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'answer') return this.#offer(this.#answers, this.#answerWaiters, message);
    if (message.type === 'protocolError') return this.#offer(this.protocolErrors, this.#protocolWaiters, message.error);
    if (message.seq !== this.lastSeq + 1) this.violations.push(`seq ${message.seq} after ${this.lastSeq}`);
    this.lastSeq = Math.max(this.lastSeq, message.seq);
    this.#offer(this.#events, this.#eventWaiters, message);
  }

  #offer<T>(queue: T[], waiters: Waiter<T>[], item: T): void {
    const index = waiters.findIndex((w) => w.accept(item));
    if (index >= 0) {
      const [waiter] = waiters.splice(index, 1) as [Waiter<T>];
      clearTimeout(waiter.timer);
      waiter.resolve(item);
    } else {
      queue.push(item);
    }
  }

  #take<T>(queue: T[], waiters: Waiter<T>[], accept: (item: T) => boolean, what: string, timeoutMs: number): Promise<T> {
    const index = queue.findIndex(accept);
    if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        accept,
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`timed out waiting for ${what}; pending: ${JSON.stringify(queue).slice(0, 500)}`));
        }, timeoutMs),
      };
      waiters.push(waiter);
    });
  }
}
