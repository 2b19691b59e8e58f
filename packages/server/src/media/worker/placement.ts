/** What placement knows of one media worker. */
export interface WorkerLoad {
  /** Slot number of the worker (stable across restarts). */
  readonly index: number;
  /** False while the worker is (re)starting: it gets no new room. */
  readonly ready: boolean;
  /** Rooms placed on it and still open. */
  readonly rooms: number;
  /** Participants with media in those rooms. */
  readonly peers: number;
}

/**
 * The worker a new room goes to: the ready one with the fewest media peers (each peer is two
 * PeerConnections and the forwarding its tracks cause), then the fewest rooms (a new room will
 * grow), then the lowest slot. Undefined when none is ready. Whole rooms stay on one worker, so
 * forwarding never crosses a process boundary.
 */
export function leastLoaded(workers: readonly WorkerLoad[]): WorkerLoad | undefined {
  let best: WorkerLoad | undefined;
  for (const w of workers) {
    if (!w.ready) continue;
    if (best === undefined || w.peers < best.peers || (w.peers === best.peers && (w.rooms < best.rooms || (w.rooms === best.rooms && w.index < best.index)))) {
      best = w;
    }
  }
  return best;
}
