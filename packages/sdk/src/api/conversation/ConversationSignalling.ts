import type { MediaSignalling, MeshSignal } from '../../media/MediaSignalling.js';
import type { RequestBody } from '../../engine/Engine.js';
import { log } from '../../util/Logger.js';
import type { ConversationContext } from './context.js';

/** The media plane's signals of one conversation, sent as the session's requests. */
export class ConversationSignalling implements MediaSignalling {
  readonly #ctx: ConversationContext;
  readonly #conversation: string;

  constructor(ctx: ConversationContext, conversation: string) {
    this.#ctx = ctx;
    this.#conversation = conversation;
  }

  async publisherOffer(sdp: string, simulcast?: string[][]): Promise<string> {
    const body: RequestBody = { type: 'media.publisherOffer', conversation: this.#conversation, sdp, ...(simulcast?.length ? { simulcast } : {}) };
    const data = await this.#ctx.request(body);
    if (!data?.sdp) throw new Error('no answer sdp');
    return data.sdp;
  }

  subscriberAnswer(sdp: string): Promise<unknown> {
    return this.#ctx.request({ type: 'media.subscriberAnswer', conversation: this.#conversation, sdp });
  }

  candidate(transport: 'publisher' | 'subscriber', candidate: string, sdpMid: string | undefined): void {
    const body: RequestBody = { type: 'media.candidate', conversation: this.#conversation, transport, candidate, ...(sdpMid !== undefined ? { sdpMid } : {}) };
    this.#ctx.request(body).catch(() => undefined);
  }

  meshSignal(to: string, payload: MeshSignal): void {
    this.#ctx.request({ type: 'mesh.signal', conversation: this.#conversation, to, payload }).catch((err: unknown) => log.warn('mesh.signal failed', err));
  }

  qualityReport(lossRatio: number): void {
    this.#ctx.request({ type: 'conv.qualityReport', conversation: this.#conversation, lossRatio }).catch(() => undefined);
  }
}
