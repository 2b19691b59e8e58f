import { log } from '../util/Logger.js';
import type { ConversationServerEvent } from '../util/messages.js';
import type { Kinds, MediaPlane, PlaneConnection, PlaneDeps, PublishedMedia } from './MediaPlane.js';
import { SUBSCRIBE_TIMEOUT_MS } from './pcUtil.js';
import { PublisherPc } from './PublisherPc.js';
import { SubscriberPc } from './SubscriberPc.js';

/** SFU: publisher PC (browser offers) and subscriber PC (server offers). */
export class SfuPlane implements MediaPlane {
  readonly mode = 'sfu' as const;
  readonly #deps: PlaneDeps;
  #publisher: PublisherPc | null = null;
  #subscriber: SubscriberPc | null = null;

  constructor(deps: PlaneDeps) {
    this.#deps = deps;
  }

  async publish(media: PublishedMedia): Promise<void> {
    await this.#pub().add(media.ms, media.kinds, media.simulcast);
  }

  async unpublish(media: PublishedMedia): Promise<void> {
    await this.#publisher?.remove(media.ms.id);
  }

  async replace(oldMs: MediaStream, media: PublishedMedia): Promise<void> {
    await this.#publisher?.replace(oldMs.id, media.ms);
  }

  async subscribe(streamId: number, _publisherId: string, kinds: Kinds, announce: () => Promise<unknown>): Promise<MediaStream | null> {
    const ready = this.#sub().expect(streamId, kinds, SUBSCRIBE_TIMEOUT_MS);
    try {
      await announce();
    } catch (err) {
      this.#subscriber?.cancel(streamId, 'refused');
      ready.catch(() => undefined);
      throw err;
    }
    return ready;
  }

  unsubscribe(streamId: number): void {
    this.#subscriber?.drop(streamId);
  }

  onEvent(event: ConversationServerEvent): void {
    switch (event.type) {
      case 'media.subscriberOffer':
        this.#sub()
          .onOffer(event.sdp, event.streams)
          .catch((err: unknown) => log.error('subscriber negotiation failed', err));
        return;
      case 'media.candidate': {
        const pc = event.transport === 'publisher' ? this.#publisher : this.#subscriber;
        pc?.addCandidate(event.candidate, event.sdpMid).catch(() => undefined);
        return;
      }
      default:
        return;
    }
  }

  peerLeft(): void {
    // Nothing: the server re-offers the subscriber PC.
  }

  connections(): PlaneConnection[] {
    const out: PlaneConnection[] = [];
    if (this.#publisher) out.push({ pc: this.#publisher.pc });
    if (this.#subscriber) out.push({ pc: this.#subscriber.pc });
    return out;
  }

  close(): void {
    this.#publisher?.close();
    this.#subscriber?.close();
    this.#publisher = null;
    this.#subscriber = null;
  }

  #pub(): PublisherPc {
    const { signals } = this.#deps;
    this.#publisher ??= new PublisherPc(
      {
        offer: (sdp, simulcast) => signals.publisherOffer(sdp, simulcast),
        candidate: (candidate, sdpMid) => signals.candidate('publisher', candidate, sdpMid),
      },
      this.#deps.report,
      this.#deps.iceServers,
    );
    return this.#publisher;
  }

  #sub(): SubscriberPc {
    const { signals } = this.#deps;
    this.#subscriber ??= new SubscriberPc(
      {
        answer: (sdp) => signals.subscriberAnswer(sdp),
        candidate: (candidate, sdpMid) => signals.candidate('subscriber', candidate, sdpMid),
      },
      this.#deps.report,
      this.#deps.iceServers,
    );
    return this.#subscriber;
  }
}
