import { mediaDevices } from '../../util/platform.js';

/** Feature-support registry (P2, runtime-only in apiRTC). */
export class BrowserCapabilities {
  /** No events. */
  static getAvailableEvents(): string[] {
    return [];
  }

  /** Whether the page supports `feature` (`'webrtc'`, `'getUserMedia'`, `'getDisplayMedia'`, `'mediaRecorder'`, `'websocket'`). */
  static isSupported(feature: string): boolean {
    return capabilities()[feature] ?? false;
  }
}

/** Per-feature support booleans of the current page (also `userAgent.getBrowserCapabilities()`). */
export function capabilities(): Record<string, boolean> {
  const md = mediaDevices();
  return {
    webrtc: typeof RTCPeerConnection !== 'undefined',
    getUserMedia: typeof md?.getUserMedia === 'function',
    getDisplayMedia: typeof md?.getDisplayMedia === 'function',
    enumerateDevices: typeof md?.enumerateDevices === 'function',
    mediaRecorder: typeof MediaRecorder !== 'undefined',
    websocket: typeof WebSocket !== 'undefined',
    dataChannel: typeof RTCPeerConnection !== 'undefined' && 'createDataChannel' in RTCPeerConnection.prototype,
  };
}
