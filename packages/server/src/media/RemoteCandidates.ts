import type { PeerConnection } from 'node-datachannel';
import { normalizeRemoteCandidate } from './ice.js';

/** Most candidates kept while a connection has no remote description yet. */
const MAX_PENDING = 64;

/**
 * The browser's ICE candidates for one SFU connection. libdatachannel refuses candidates before
 * the remote description is set, and browsers trickle them as soon as they have an answer or
 * offer out, so early ones are queued (bounded) and applied by {@link flush}.
 */
export class RemoteCandidates {
  #pending: { candidate: string; mid: string }[] = [];

  /**
   * Applies `candidate` (`candidate:…`, with or without `a=`) to `pc`, or queues it while `pc` is
   * missing or has no remote description. Empty / end-of-candidates and mDNS (`.local`)
   * candidates are ignored.
   */
  add(pc: PeerConnection | null, candidate: string, mid: string): void {
    const c = normalizeRemoteCandidate(candidate);
    if (c === undefined) return;
    if (pc === null || pc.remoteDescription() === null) {
      if (this.#pending.length < MAX_PENDING) this.#pending.push({ candidate: c, mid });
      return;
    }
    apply(pc, c, mid);
  }

  /** Applies the queued candidates (the remote description was just set). */
  flush(pc: PeerConnection | null): void {
    if (pc === null) return;
    const pending = this.#pending;
    this.#pending = [];
    for (const { candidate, mid } of pending) apply(pc, candidate, mid);
  }

  /** Drops the queue (the connection closed). */
  clear(): void {
    this.#pending = [];
  }
}

function apply(pc: PeerConnection, candidate: string, mid: string): void {
  try {
    pc.addRemoteCandidate(candidate, mid);
  } catch {
    // A candidate libdatachannel cannot use (e.g. an unsupported transport) is not an error of the call.
  }
}
