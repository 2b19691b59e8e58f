import { readFileSync } from 'node:fs';
import nodeDataChannel, { type PeerConnection } from 'node-datachannel';
import type { SfuStats } from '../../src/conversation/MediaStats.js';
import type { TestServer } from './testServer.js';

/** A recorded Chromium publisher offer (camera: audio + VP8 video) and its stream's msid. */
export const CAMERA = readFileSync(new URL('../../src/media/sdp/fixtures/chromium-offer-camera.sdp', import.meta.url), 'utf8');
export const CAMERA_MSID = 'c8f257c5-83dd-4e1d-a5ee-687f1a0e16e7';

/** `sdp` without its `a=candidate` / `a=end-of-candidates` lines. */
export function withoutCandidates(sdp: string): string {
  return sdp.replace(/^a=(candidate|end-of-candidates).*\r\n/gm, '');
}

/** The SFU part of `GET /api/v1/stats` (the test server answers loopback clients). */
export async function sfuStats(server: TestServer): Promise<SfuStats> {
  return ((await (await fetch(`${server.url}/api/v1/stats`)).json()) as { sfu: SfuStats }).sfu;
}

/**
 * libdatachannel "browsers" answering the server's subscriber offers. Candidates are withheld
 * both ways so that no connection is attempted: the tests using them are about signalling, and a
 * loopback DTLS attempt that happens to fail would end the subscriber connection mid-test.
 */
export class SubscriberPeers {
  readonly #prefix: string;
  readonly #pcs: PeerConnection[] = [];
  /** Native tracks of the peers: a collected wrapper would close its track. */
  readonly #tracks: unknown[] = [];

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** Answers `offer` from a new peer; resolves the answer SDP without candidates. */
  answer(offer: string): Promise<string> {
    const pc = new nodeDataChannel.PeerConnection(`${this.#prefix}-${this.#pcs.length}`, { iceServers: [] });
    this.#pcs.push(pc);
    pc.onTrack((track) => this.#tracks.push(track));
    return new Promise((resolve) => {
      pc.onLocalDescription((sdp, type) => {
        if (type === 'answer') resolve(withoutCandidates(sdp));
      });
      pc.setRemoteDescription(withoutCandidates(offer), 'offer');
    });
  }

  /** Closes every peer made so far (after each test). */
  closeAll(): void {
    for (const pc of this.#pcs.splice(0)) pc.close();
    this.#tracks.length = 0;
  }
}
