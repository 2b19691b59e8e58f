import type { PeerSignalPayload } from '@parley/protocol';
import { PeerLink } from '../call/PeerLink.js';
import type { PeerPort } from '../call/PeerPort.js';

/** Sent data waits while this much is queued in the channel (keeps a large file out of memory). */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Sending resumes once the queue drained below this (`bufferedAmountLowThreshold`). */
export const LOW_WATER_BYTES = 1024 * 1024;

/**
 * One ordered RTCDataChannel over the direct connection of a peer session: the opener creates it,
 * the other side receives it. Data channels and file transfers run on it.
 */
export class PeerChannel {
  readonly #link: PeerLink;
  readonly opened: Promise<RTCDataChannel>;
  #channel: RTCDataChannel | null = null;
  #closed = false;
  /** A text or binary message arrived. */
  onMessage: (data: string | ArrayBuffer) => void = () => undefined;
  /** The channel or its connection closed or failed (not called after {@link close}). */
  onClosed: (why: string) => void = () => undefined;

  constructor(port: PeerPort, peer: string, session: string, role: 'open' | 'accept') {
    this.#link = new PeerLink(port, peer, session);
    this.#link.onFailure = (why) => this.#lost(why);
    this.opened = new Promise<RTCDataChannel>((resolve, reject) => {
      const use = (dc: RTCDataChannel): void => {
        dc.binaryType = 'arraybuffer';
        dc.bufferedAmountLowThreshold = LOW_WATER_BYTES;
        dc.onmessage = (e: MessageEvent<string | ArrayBuffer>) => this.onMessage(e.data);
        dc.onclose = () => this.#lost('closed');
        this.#channel = dc;
        if (dc.readyState === 'open') resolve(dc);
        else dc.onopen = () => resolve(dc);
        dc.onerror = () => reject(new Error('data channel failed'));
      };
      if (role === 'open') use(this.#link.pc.createDataChannel('parley', { ordered: true }));
      else this.#link.pc.ondatachannel = (e) => use(e.channel);
    });
    // Observed by whoever awaits it; a failure before opening also reaches onClosed.
    this.opened.catch(() => this.#lost('failed'));
  }

  /** Handles an offer, answer or candidate of the session. */
  signal(payload: PeerSignalPayload): void {
    void this.#link.signal(payload);
  }

  /**
   * Sends one message, waiting first while the channel holds more than {@link HIGH_WATER_BYTES}
   * (back-pressure: the sender reads the next chunk only once the network took the previous ones).
   */
  async send(data: string | ArrayBuffer): Promise<void> {
    const dc = await this.opened;
    while (dc.bufferedAmount > HIGH_WATER_BYTES) {
      if (dc.readyState !== 'open') throw new Error('data channel closed');
      await new Promise<void>((resolve) => {
        const done = (): void => {
          dc.removeEventListener('bufferedamountlow', done);
          dc.removeEventListener('close', done);
          resolve();
        };
        dc.addEventListener('bufferedamountlow', done);
        dc.addEventListener('close', done);
      });
    }
    if (dc.readyState !== 'open') throw new Error('data channel closed');
    if (typeof data === 'string') dc.send(data);
    else dc.send(data);
  }

  /** Closes the channel and the connection (idempotent, no onClosed). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#channel?.close();
    } catch {
      // already closed
    }
    this.#link.close();
  }

  #lost(why: string): void {
    if (this.#closed) return;
    this.close();
    this.onClosed(why);
  }
}
