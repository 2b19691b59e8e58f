import { ERROR_OTHER } from '../../constants.js';
import { reject } from '../../util/errors.js';
import type { CloudMediaInfo } from '../cloud/CloudMediaInfo.js';
import { EMIT } from '../internal.js';
import { type ConversationMessageHistory, fetchMessageHistory, type FetchMessageHistoryOptions } from './ConversationChat.js';
import { ConversationCloud, getMedia, type PushDataDescriptor } from './ConversationCloud.js';
import type { ConversationContext } from './context.js';
import { ConversationStubs } from './ConversationStubs.js';

/**
 * The Conversation facade's stored-data part: cloud media (pushData and the media list) and the
 * chat history, which read the server's storage rather than the joined room's state.
 */
export abstract class ConversationStorage extends ConversationStubs {
  readonly #name: string;
  readonly #ctx: ConversationContext | undefined;
  /** Cloud media of the conversation (absent in isolated instances). */
  protected readonly cloud: ConversationCloud | undefined;

  constructor(name: string, ctx: ConversationContext | undefined) {
    super();
    this.#name = name;
    this.#ctx = ctx;
    this.cloud = ctx
      ? new ConversationCloud(
          ctx,
          name,
          (event, ...payload) => this[EMIT](event, ...payload),
          () => this.isJoined(),
        )
      : undefined;
  }

  /** Status is JOINED. */
  abstract isJoined(): boolean;

  /**
   * Uploads a file (`{file}`, or `{buffer, filename, filetype}`) to the conversation's storage on
   * the server; resolves its CloudMediaInfo, and the other participants get `newMediaAvailable`
   * (docs/sdk-reference.md#pushdata-and-cloud-media). One upload at a time: later calls wait
   * (`transferPending`). Rejects 9 "pushData() - missing file", 15 when canceled, 9 when the server
   * refuses the size or type, 0 "pushData() - A|B|C|D - cannot push data : <reason>" otherwise.
   */
  pushData(data: PushDataDescriptor, _opts?: object): Promise<CloudMediaInfo> {
    if (!this.cloud) return reject(ERROR_OTHER, 'pushData() - A - cannot push data : conversation not joined');
    return this.cloud.push(data);
  }

  /** Cancels a waiting or running pushData by its transfer id (from `transferPending` / `transferBegun`). */
  cancelPushData(id: string): Promise<void> {
    if (!this.cloud) return reject(ERROR_OTHER, 'cancelPushData() - no such push data');
    return this.cloud.cancel(id);
  }

  /** Downloads a stored media (a CloudMediaInfo `url`) as a Blob. */
  getMedia(mediaURL: string): Promise<Blob> {
    return getMedia(mediaURL);
  }

  /** Stored media of this conversation (participants only), oldest first. Rejects 4 / 0. */
  fetchMediaList(_session?: unknown, _opts?: object): Promise<CloudMediaInfo[]> {
    if (!this.cloud) return reject(ERROR_OTHER, 'fetchMediaList() - failed to get media list');
    return this.cloud.list();
  }

  /**
   * Stored chat of this conversation, oldest first: the newest `count` messages (default 50), or
   * those before message `before` (docs/sdk-reference.md#chat-history). Participants only,
   * messages from before they joined included. Rejects 9 on bad options, 4 when not a participant,
   * 0 "fetchMessageHistory() - could not fetch history" otherwise.
   */
  fetchMessageHistory(_session?: unknown, options?: FetchMessageHistoryOptions): Promise<ConversationMessageHistory[]> {
    return fetchMessageHistory(this.#ctx, this.#name, options ?? {});
  }
}
