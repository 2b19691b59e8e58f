import type { StreamDescriptor } from '@parley/protocol';
import type { ConversationContext } from './context.js';
import { toStreamId, toStreamInfo, type StreamInfo } from './streamInfo.js';

/**
 * The streams the server announced in one conversation (`conv.stream`), the local user's own
 * included, and the bookkeeping of a re-join: the streams known before it, so that their
 * re-announcement emits no duplicate event.
 */
export class AnnouncedStreams {
  readonly #ctx: ConversationContext;
  readonly #byId = new Map<number, StreamDescriptor>();
  /** After a re-join: the streams known before, not re-announced yet. */
  #resync: Map<number, StreamDescriptor> | null = null;

  constructor(ctx: ConversationContext) {
    this.#ctx = ctx;
  }

  get(streamId: number): StreamDescriptor | undefined {
    return this.#byId.get(streamId);
  }

  has(streamId: number): boolean {
    return this.#byId.has(streamId);
  }

  set(d: StreamDescriptor): void {
    this.#byId.set(d.streamId, d);
  }

  /** Forgets a stream; false when it was not known. */
  delete(streamId: number): boolean {
    return this.#byId.delete(streamId);
  }

  clear(): void {
    this.#byId.clear();
  }

  /** A copy of the known streams (kept across a re-join). */
  snapshot(): Map<number, StreamDescriptor> {
    return new Map(this.#byId);
  }

  /** The StreamInfo of every known stream. */
  list(): StreamInfo[] {
    return [...this.#byId.values()].map((d) => this.info(d));
  }

  /** The StreamInfo of the stream `id` (number or numeric string). */
  infoOf(id: unknown): StreamInfo | undefined {
    const d = this.#byId.get(toStreamId(id));
    return d ? this.info(d) : undefined;
  }

  info(d: StreamDescriptor, listEventType?: 'added' | 'removed' | 'updated'): StreamInfo {
    return toStreamInfo(d, this.#ctx.selfId(), (id) => this.#ctx.contact(id), listEventType);
  }

  /** `availableStreamsUpdated` payload: every known stream by id. */
  available(): { [id: string]: StreamInfo } {
    return Object.fromEntries(this.list().map((i) => [String(i.streamId), i]));
  }

  /** A re-join starts: `known` are the streams known before it. */
  beginResync(known: Map<number, StreamDescriptor>): void {
    this.#resync = known;
  }

  /** The descriptor known before the re-join, when `streamId` is re-announced (taken once). */
  takeResync(streamId: number): StreamDescriptor | undefined {
    const before = this.#resync?.get(streamId);
    if (before) this.#resync?.delete(streamId);
    return before;
  }

  /** The re-join settled: the streams known before and not re-announced (gone). */
  endResync(): StreamDescriptor[] {
    const gone = [...(this.#resync?.values() ?? [])];
    this.#resync = null;
    return gone;
  }
}
