import type { Browser } from 'playwright-core';
import { openSdkPage, type User } from '../harness/index.js';
import { CONV_PAGE } from '../conversation/helpers.js';

// Page helpers of the TURN tests: a registered conversation page, and what its connections use.

export async function convUserOn(browser: Browser, origin: string, name: string): Promise<{ user: User; id: string }> {
  const user = await openSdkPage(browser, origin, name);
  await user.page.evaluate(CONV_PAGE);
  const id = await user.page.evaluate(() => E2E.register());
  return { user, id };
}

/** ICE of every SDK connection of the page: the servers it was built with and the local end of its selected pair. */
export function connectionsOf(
  user: User,
): Promise<Array<{ iceServers: RTCIceServer[]; local?: { candidateType?: string; relayProtocol?: string; protocol?: string } }>> {
  return user.page.evaluate(async () => {
    const out: Array<{ iceServers: RTCIceServer[]; local?: { candidateType?: string; relayProtocol?: string; protocol?: string } }> = [];
    for (const pc of Parley.debug.peerConnections()) {
      const stats = await pc.getStats();
      let local: { candidateType?: string; relayProtocol?: string; protocol?: string } | undefined;
      stats.forEach((r: { type: string; selectedCandidatePairId?: string }) => {
        if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
        const pair = stats.get(r.selectedCandidatePairId) as { localCandidateId: string } | undefined;
        const candidate = pair ? (stats.get(pair.localCandidateId) as { candidateType?: string; relayProtocol?: string; protocol?: string }) : undefined;
        if (candidate) local = { candidateType: candidate.candidateType, relayProtocol: candidate.relayProtocol, protocol: candidate.protocol };
      });
      out.push({ iceServers: pc.getConfiguration().iceServers ?? [], ...(local ? { local } : {}) });
    }
    return out;
  });
}
