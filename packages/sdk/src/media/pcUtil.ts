/** Helpers shared by the peer-connection wrappers. */

/** Settings of every connection; the ICE servers come from the session (see {@link IceServersSource}). */
export const RTC_CONFIG: RTCConfiguration = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };

/**
 * The STUN/TURN servers of the session at the time a connection is built (the server hands them
 * out with ephemeral TURN credentials, refreshed during the session: read them at creation).
 */
export type IceServersSource = () => RTCIceServer[];
/** No ICE servers: host candidates only (unit tests, a deployment without STUN/TURN). */
export const noIceServers: IceServersSource = () => [];

/** Longest wait for a subscription's media. */
export const SUBSCRIBE_TIMEOUT_MS = 20_000;

/** Every live RTCPeerConnection the SDK created (debug accessor `Parley.debug.peerConnections()`). */
export const livePeerConnections = new Set<RTCPeerConnection>();

/** Creates a peer connection with the session's ICE servers and tracks it for the debug accessor. */
export function createPeerConnection(iceServers: IceServersSource = noIceServers): RTCPeerConnection {
  const pc = new RTCPeerConnection({ ...RTC_CONFIG, iceServers: iceServers() });
  livePeerConnections.add(pc);
  return pc;
}

/** Closes and untracks. */
export function closePeerConnection(pc: RTCPeerConnection): void {
  livePeerConnections.delete(pc);
  try {
    pc.close();
  } catch {
    // already closed
  }
}

/** Resolves when `pc` is connected; rejects on failure/close or after `timeoutMs`. */
export function whenConnected(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      clearTimeout(timer);
      pc.removeEventListener('connectionstatechange', check);
      if (err) reject(err);
      else resolve();
    };
    const check = (): void => {
      if (pc.connectionState === 'connected') done();
      else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') done(new Error(`connection ${pc.connectionState}`));
    };
    const timer = setTimeout(() => done(new Error('connection timed out')), timeoutMs);
    pc.addEventListener('connectionstatechange', check);
  });
}

/** Prefers VP8 for the video transceivers when the browser lets us choose. */
export function preferVp8(transceiver: RTCRtpTransceiver): void {
  const caps = typeof RTCRtpSender !== 'undefined' ? RTCRtpSender.getCapabilities?.('video') : null;
  if (!caps || typeof transceiver.setCodecPreferences !== 'function') return;
  const vp8 = caps.codecs.filter((c) => /vp8/i.test(c.mimeType));
  const rest = caps.codecs.filter((c) => !/vp8/i.test(c.mimeType));
  if (vp8.length === 0) return;
  try {
    transceiver.setCodecPreferences([...vp8, ...rest]);
  } catch {
    // ignore: the default order is fine too
  }
}

/** Serialises async jobs (negotiations must not overlap). */
export class Queue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(job, job);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}

/** ICE state reporting shared by the wrappers. */
export type IceReport = (state: 'disconnected' | 'failed', detail: string) => void;

/** Hooks `iceconnectionstatechange` to `report`. */
export function watchIce(pc: RTCPeerConnection, detail: string, report: IceReport): void {
  pc.addEventListener('iceconnectionstatechange', () => {
    const s = pc.iceConnectionState;
    if (s === 'disconnected' || s === 'failed') report(s, detail);
  });
}
