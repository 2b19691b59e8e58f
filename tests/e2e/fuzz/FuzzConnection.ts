import { WebSocket } from 'ws';
import type { RecordedFrame } from './corpus.js';
import { FrameMutator, type FuzzFrame } from './FrameMutator.js';
import type { Prng } from './Prng.js';

/** Names and ids of the real (SDK) users the fuzz frames aim at, without being able to join their video room. */
export interface FuzzTargets {
  /** Conversation where the SDK users chat: fuzz connections may join it. */
  chatRoom: string;
  /** Conversation of the video: named in every frame type except `conv.join`. */
  videoRoom: string;
  userIds: string[];
  streamIds: number[];
}

/** Shared by every connection of a campaign: the frame budget, the log of recent frames, the stop flag. */
export interface FuzzShared {
  /** Takes one frame from the budget; false when the campaign is over. */
  take(): boolean;
  /** Counts a wait for answers that ended on the stall timeout. */
  stalled(): void;
  /** Remembers a sent frame (for the crash report). */
  sent(conn: number, frame: FuzzFrame): void;
  readonly corpus: readonly RecordedFrame[];
  readonly targets: FuzzTargets;
  /**
   * Hunting only: known crashes not to trigger again, to find others behind them: names of
   * free-form fields never made deep or big (`result,context,args`).
   */
  readonly avoid: ReadonlySet<string>;
}

type Msg = Record<string, unknown>;

const WINDOW = 8; // frames in flight per connection
const STALL_MS = 1500; // no answer for that long: send on anyway (frames the server drops silently)

/**
 * One fuzzing client over its whole life: a raw `ws` socket that (sometimes) sends frames before
 * registering, registers, then sends recorded frames rewritten to its own rooms and ids or aimed
 * at the SDK users' names and streams, valid or mutated, answers relay requests and subscriber
 * offers with mutated answers, and ends by unregistering or just closing (session expiry).
 */
export class FuzzConnection {
  readonly #mutator: FrameMutator;
  /** Reactions to server events draw from their own generator, so the sent sequence does not depend on event timing. */
  readonly #reactRng: Prng;
  readonly #reactMutator: FrameMutator;
  readonly #frames: Msg[];
  #ws: WebSocket | undefined;
  #nextId = 1;
  #inFlight = 0;
  #wake: (() => void) | undefined;
  #closed = false;
  #registered = false;
  readonly #rooms: string[];
  readonly #streamIds = new Set<number>();
  readonly #userIds = new Set<string>();
  readonly #relayIds: number[] = [];

  constructor(
    private readonly url: string,
    private readonly index: number,
    private readonly rng: Prng,
    private readonly shared: FuzzShared,
  ) {
    this.#mutator = new FrameMutator(rng, shared.avoid);
    this.#reactRng = rng.fork();
    this.#reactMutator = new FrameMutator(this.#reactRng, shared.avoid);
    this.#frames = shared.corpus.map((r) => r.frame as Msg).filter((f) => typeof f === 'object' && f !== null && typeof f.type === 'string');
    this.#rooms = [`fz-${index}-a`, `fz-${index}-b`, 'fz-shared', 'fz-shared-2'];
  }

  /** Runs one life; resolves when the socket is closed (by either side) or the budget is spent. */
  async run(): Promise<void> {
    const ws = new WebSocket(this.url, { maxPayload: 64 * 1024 * 1024 });
    this.#ws = ws;
    ws.on('message', (data, isBinary) =>
      this.#onMessage(isBinary ? '' : (Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data).toString()),
    );
    ws.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
    ws.on('error', () => undefined); // the close that follows ends the life
    const open = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('close', () => resolve(false));
    });
    if (!open) return;
    const rng = this.rng;
    try {
      if (rng.chance(0.1)) for (let i = rng.int(1, 3); i > 0; i--) await this.#send(this.#next(rng.chance(0.5)));
      if (rng.chance(0.05)) {
        await this.#send({
          data: JSON.stringify({
            type: 'resume',
            id: this.#nextId++,
            resumeToken: rng.pick(['x', 'a'.repeat(256), '\ud800']),
            lastSeq: rng.pick([0, 5, 2 ** 53]),
          }),
          label: 'resume-bogus',
        });
      }
      await this.#send(this.#register());
      await this.#drain();
      const steps = rng.int(20, 300);
      for (let i = 0; i < steps && !this.#closed; i++) {
        const p = rng.next();
        if (p < 0.02) await this.#send(this.#valid({ type: 'conv.leave', conversation: '' }));
        else if (p < 0.025) await this.#send(this.#valid({ type: 'unregister' }));
        else await this.#send(this.#next(rng.chance(0.65)));
      }
      if (!this.#closed && rng.chance(0.5)) await this.#send(this.#valid({ type: 'unregister' }));
    } finally {
      ws.close();
      if (!this.#closed)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 1000);
          ws.once('close', () => {
            clearTimeout(t);
            resolve();
          });
        });
      ws.terminate();
    }
  }

  /** A corpus frame (not a handshake) rewritten for this connection, mutated when asked. */
  #next(mutate: boolean): FuzzFrame {
    let frame: Msg;
    do frame = this.rng.pick(this.#frames);
    while (frame.type === 'register' || frame.type === 'resume');
    const valid = this.#valid(frame);
    return mutate ? this.#mutator.mutate(JSON.parse(valid.data as string)) : valid;
  }

  /** `frame` with a fresh id and its names and ids replaced by this connection's or the targets'. */
  #valid(frame: Msg): FuzzFrame {
    const rng = this.rng;
    const t = this.shared.targets;
    const out: Msg = { ...structuredClone(frame), id: this.#nextId++ };
    if ('conversation' in out) {
      const r = rng.next();
      if (r < 0.1) out.conversation = t.chatRoom;
      else if (r < 0.2 && out.type !== 'conv.join') out.conversation = t.videoRoom;
      else out.conversation = rng.pick(this.#rooms);
    }
    if ('to' in out) out.to = rng.pick([...t.userIds, ...this.#userIds, String(rng.int(1, 99_999_999)), 'alice']);
    if ('streamId' in out) {
      const known = [...this.#streamIds];
      const r = rng.next();
      if (r < 0.3 && frame.type === 'conv.publish') out.streamId = rng.int(1, 2 ** 40);
      else if (r < 0.5) out.streamId = rng.pick(t.streamIds);
      else if (known.length > 0) out.streamId = rng.pick(known);
    }
    if (out.type === 'conv.publish') {
      this.#streamIds.add(out.streamId as number);
      out.msid = `fz${rng.int(0, 1e9)}`;
    }
    if ('relayId' in out) out.relayId = this.#relayIds.length > 0 && rng.chance(0.7) ? rng.pick(this.#relayIds) : rng.int(0, 50);
    if ('group' in out) out.group = rng.pick([...this.#rooms, t.chatRoom, t.videoRoom, 'default', 'fuzz-team']);
    return { data: JSON.stringify(out), label: 'valid' };
  }

  #register(): FuzzFrame {
    const base = this.#frames.find((f) => f.type === 'register') ?? { type: 'register', apiKey: 'myDemoApiKey', groups: [], subscribeTo: [], userData: {} };
    const frame: Msg = { ...structuredClone(base), id: this.#nextId++ };
    delete frame.userId;
    const r = this.rng.next();
    if (r < 0.05)
      frame.userId = this.rng.pick(this.shared.targets.userIds); // in use: refused
    else if (r < 0.15) frame.userId = `fz-${this.index}-${this.rng.int(0, 1e9)}`;
    if (this.rng.chance(0.5)) frame.groups = [this.rng.pick(this.#rooms)];
    if (this.rng.chance(0.1)) return this.#mutator.mutate(frame);
    return { data: JSON.stringify(frame), label: 'register' };
  }

  async #send(frame: FuzzFrame): Promise<void> {
    const ws = this.#ws;
    if (this.#closed || !ws || !this.shared.take()) {
      this.#closed = true;
      return;
    }
    while (this.#inFlight >= WINDOW && !this.#closed) {
      const answered = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), STALL_MS);
        this.#wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!answered) {
        this.#inFlight = 0;
        this.shared.stalled();
      }
    }
    if (this.#closed) return;
    this.shared.sent(this.index, frame);
    this.#inFlight++;
    ws.send(frame.data, { binary: typeof frame.data !== 'string' });
  }

  /** Waits until every frame sent so far was answered (or stalled). */
  async #drain(): Promise<void> {
    const deadline = Date.now() + STALL_MS;
    while (this.#inFlight > 0 && !this.#closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  #onMessage(text: string): void {
    let msg: Msg;
    try {
      msg = JSON.parse(text) as Msg;
    } catch {
      return;
    }
    switch (msg.type) {
      case 'answer':
      case 'protocolError':
        if (this.#inFlight > 0) this.#inFlight--;
        if (msg.ok === true && !this.#registered) this.#registered = true;
        this.#wake?.();
        return;
      case 'conv.stream': {
        const stream = msg.stream as { streamId?: unknown; publisherId?: unknown } | undefined;
        if (typeof stream?.streamId === 'number') this.#streamIds.add(stream.streamId);
        if (typeof stream?.publisherId === 'string') this.#userIds.add(stream.publisherId);
        return;
      }
      case 'presence':
        for (const list of Object.values((msg.joinedGroup ?? {}) as Record<string, { id?: unknown }[]>)) {
          for (const c of list) if (typeof c.id === 'string' && this.#userIds.size < 50) this.#userIds.add(c.id);
        }
        return;
      case 'conv.relayRequest':
        this.#relayIds.push(msg.relayId as number);
        this.#reply(this.#relayAnswer(msg.relayId as number));
        return;
      case 'media.subscriberOffer':
        if (this.#reactRng.chance(0.3)) {
          const answer = this.#frames.find((f) => f.type === 'media.subscriberAnswer');
          if (answer)
            this.#reply(
              this.#maybeMutate({ data: JSON.stringify({ ...answer, id: this.#nextId++, conversation: msg.conversation }), label: 'subscriberAnswer' }),
            );
        }
        return;
      default:
        return;
    }
  }

  #relayAnswer(relayId: number): FuzzFrame {
    const frame = { type: 'conv.relayAnswer', id: this.#nextId++, relayId, ok: true, result: { frameRate: 10 } };
    if (this.#reactRng.chance(0.3)) return this.#reactMutator.freeform(frame);
    return this.#maybeMutate({ data: JSON.stringify(frame), label: 'relayAnswer' });
  }

  #maybeMutate(frame: FuzzFrame): FuzzFrame {
    return this.#reactRng.chance(0.6) ? this.#reactMutator.mutate(JSON.parse(frame.data as string)) : frame;
  }

  /** Sends a reaction to a server event at once (outside the window: it answers the server). */
  #reply(frame: FuzzFrame): void {
    if (this.#closed || !this.#ws || !this.shared.take()) return;
    this.shared.sent(this.index, frame);
    this.#inFlight++;
    this.#ws.send(frame.data, { binary: typeof frame.data !== 'string' });
  }
}
