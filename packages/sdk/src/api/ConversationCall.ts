import { rejectNotSupported } from '../util/unsupported.js';
import type { Conversation } from './Conversation.js';
import { Observable } from './Observable.js';
import type { Stream } from './Stream.js';

/** A ConversationCall has no events of its own. */
export type ConversationCallEvents = Record<never, never>;

/**
 * The media leg of a local Stream published in a conversation
 * (`conversation.getConversationCall(stream)`, docs/sdk-reference.md#conversationcall). No events of its own.
 */
export class ConversationCall extends Observable<ConversationCallEvents> {
  readonly #conversation: Conversation;
  readonly #callId: string;
  readonly #stream: Stream;

  /** Internal. */
  constructor(conversation: Conversation, callId: string, stream: Stream) {
    super();
    this.#conversation = conversation;
    this.#callId = callId;
    this.#stream = stream;
  }

  /** No events: an empty list. */
  static override getAvailableEvents(): string[] {
    return [];
  }

  /** Owning conversation. */
  getConversation(): Conversation {
    return this.#conversation;
  }

  /** Leg id (numeric string). */
  getCallId(): string {
    return this.#callId;
  }

  /** Published local Stream. */
  getStream(): Stream {
    return this.#stream;
  }

  /** Swaps the media sent on this leg (see Conversation.replacePublishedStream). */
  replacePublishedStream(newStream?: Stream, callbacks?: unknown): Promise<Stream> {
    return this.#conversation.replacePublishedStream(this.#stream, newStream, callbacks);
  }

  /** P2: per-stream recording is not supported. */
  isRecorded(): boolean {
    return false;
  }

  /** P2: no recording info. */
  getRecordingInfo(): object | null {
    return null;
  }

  /** P2: not supported. */
  startRecordingPublishedStream(_options?: object): Promise<object> {
    return rejectNotSupported('startRecordingPublishedStream');
  }

  /** P2: not supported. */
  stopRecordingPublishedStream(): Promise<object> {
    return rejectNotSupported('stopRecordingPublishedStream');
  }

  /** P2: RTMP streaming is not supported. */
  isStreamed(): boolean {
    return false;
  }

  /** P2: no streaming info. */
  getStreamingInfo(): object | null {
    return null;
  }

  /** P2: not supported. */
  startStreaming(_opts: object): Promise<object> {
    return rejectNotSupported('startStreaming');
  }

  /** P2: not supported. */
  stopStreaming(): Promise<object> {
    return rejectNotSupported('stopStreaming');
  }
}
