// The SFU runs with ICE UDP mux (one port). 5 % random loss (nftables numgen) on a subscriber's downlink: video keeps decoding, the
// subscriber's NACKs are answered (the loss left after retransmission is a fraction of the loss on
// the wire), audio is redundant end to end (RED: the publisher sends it, the SFU forwards it) and
// its concealment stays within a stated bound. Root only (network namespaces).
import { describe, expect, test } from 'vitest';
import { openSdkPage, type User } from '../harness/index.js';
import { CONV_PAGE, join, subscribe, waitDecoding, waitRemoteStream } from '../conversation/helpers.js';
import { writeSpeechLikeWav } from '../conversation/toneWav.js';
import { freeUdpPort } from './network-env.js';
import { useNetworkScene } from './scene.js';

const NAME = 'network-loss';
/** Share of audio samples the subscriber may conceal under 5 % packet loss (Opus PLC fills the gaps; about 0.5 % seen with RED, 5 % with FEC alone). */
const MAX_CONCEALED_RATIO = 0.15;
/** Longest wait, in seconds of continued loss, for redundant audio (RED, or Opus FEC) to reach the subscriber. */
const FEC_WAIT_S = 30;
let muxPort = 0;

interface Receiving {
  framesDecoded: number;
  videoReceived: number;
  videoLost: number;
  nacksSent: number;
  samples: number;
  concealed: number;
  /** Opus in-band FEC payloads the decoder got (NetEq counts them as `fecPacketsReceived`). */
  audioFec: number;
}

function receiving(user: User): Promise<Receiving> {
  return user.page.evaluate(async () => {
    const r = { framesDecoded: 0, videoReceived: 0, videoLost: 0, nacksSent: 0, samples: 0, concealed: 0, audioFec: 0 };
    for (const pc of Parley.debug.peerConnections()) {
      const stats = await pc.getStats();
      stats.forEach(
        (s: {
          type: string;
          kind?: string;
          framesDecoded?: number;
          packetsReceived?: number;
          packetsLost?: number;
          nackCount?: number;
          totalSamplesReceived?: number;
          concealedSamples?: number;
          fecPacketsReceived?: number;
        }) => {
          if (s.type !== 'inbound-rtp') return;
          if (s.kind === 'video') {
            r.framesDecoded += s.framesDecoded ?? 0;
            r.videoReceived += s.packetsReceived ?? 0;
            r.videoLost += s.packetsLost ?? 0;
            r.nacksSent += s.nackCount ?? 0;
          } else if (s.kind === 'audio') {
            r.samples += s.totalSamplesReceived ?? 0;
            r.concealed += s.concealedSamples ?? 0;
            r.audioFec += s.fecPacketsReceived ?? 0;
          }
        },
      );
    }
    return r;
  });
}

/**
 * The audio m-line of each of the page's connections, from the answer side: its payload types
 * in order and their rtpmap/fmtp values (`pt → 'red/48000/2 111/111'`). Chromium's stats name
 * the primary codec (Opus) even when it sends or receives RED, so the descriptions are what show it.
 */
function audioFormats(user: User, side: 'local' | 'remote'): Promise<{ formats: string[]; codecs: Record<string, string> }[]> {
  return user.page.evaluate((which: string) => {
    const out: { formats: string[]; codecs: Record<string, string> }[] = [];
    for (const pc of Parley.debug.peerConnections()) {
      const sdp = (which === 'local' ? pc.localDescription : pc.remoteDescription)?.sdp ?? '';
      const section = sdp.split('\r\nm=').find((m: string) => m.startsWith('audio') || m.startsWith('m=audio'));
      if (section === undefined) continue;
      const lines = section.split('\r\n');
      const codecs: Record<string, string> = {};
      for (const l of lines) {
        const rtpmap = /^a=rtpmap:(\d+) (.*)$/.exec(l);
        if (rtpmap) codecs[rtpmap[1]!] = rtpmap[2]!;
        const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(l);
        if (fmtp && codecs[fmtp[1]!] !== undefined) codecs[fmtp[1]!] += ` ${fmtp[2]}`;
      }
      out.push({ formats: lines[0]!.split(' ').slice(3), codecs });
    }
    return out;
  }, side);
}

/** The loss fraction the latest receiver report for the page's published audio announced. */
function audioLossTold(user: User): Promise<number> {
  return user.page.evaluate(async () => {
    let fraction = 0;
    for (const pc of Parley.debug.peerConnections()) {
      const stats = await pc.getStats();
      stats.forEach((s: { type: string; kind?: string; fractionLost?: number }) => {
        if (s.type === 'remote-inbound-rtp' && s.kind === 'audio') fraction = Math.max(fraction, s.fractionLost ?? 0);
      });
    }
    return fraction;
  });
}

describe('5 % random loss on a subscriber link', () => {
  const scene = useNetworkScene({
    name: NAME,
    // The SFU on one UDP port (ICE UDP mux): every connection of this test goes through it.
    serverEnv: async () => {
      muxPort = await freeUdpPort();
      return { PARLEY_MEDIA_UDP_MUX_PORT: String(muxPort) };
    },
    // Talk-like audio rather than Chromium's default beep: Opus codes in-band FEC (LBRR) only for
    // frames its voice activity detector calls active, and a sparse beep often leaves none.
    hostBrowserArgs: () => [`--use-file-for-fake-audio-capture=${writeSpeechLikeWav(4)}`],
  });

  test('video keeps decoding, NACKs are answered, audio concealment stays bounded', async () => {
    const pub = await openSdkPage(scene.hostBrowser, scene.server.url, 'alice');
    await pub.page.evaluate(CONV_PAGE);
    await pub.page.evaluate(() => E2E.register());
    const sub = await openSdkPage(scene.nsBrowser, scene.nsOrigin, 'bob');
    await sub.page.evaluate(CONV_PAGE);
    await sub.page.evaluate(() => E2E.register());
    await join(pub, 'loss-room');
    await join(sub, 'loss-room');
    await pub.page.evaluate(() => CONV.publishCamera());
    const streamId = await waitRemoteStream(sub);
    await subscribe(sub, streamId);
    // Played in a media element: audio is only decoded (and its samples counted) when played out.
    await sub.page.evaluate((id: number) => CONV.show(id), streamId);
    await waitDecoding(sub, 'bob receives alice before the loss');
    // Both of bob's SFU connections reach the server on the one mux port.
    const remotePorts = await sub.page.evaluate(async () => {
      const ports: number[] = [];
      for (const pc of Parley.debug.peerConnections()) {
        const stats = await pc.getStats();
        stats.forEach((r: { type: string; selectedCandidatePairId?: string }) => {
          if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
          const pair = stats.get(r.selectedCandidatePairId) as { remoteCandidateId: string } | undefined;
          const remote = pair ? (stats.get(pair.remoteCandidateId) as { port?: number } | undefined) : undefined;
          if (remote?.port !== undefined) ports.push(remote.port);
        });
      }
      return ports;
    });
    expect(remotePorts.length).toBeGreaterThan(0);
    for (const port of remotePorts) expect(port).toBe(muxPort);

    // Redundant audio end to end. The SFU answered alice with RED first, around her Opus, so
    // her Chromium sends RED; bob's answer kept RED, so the SFU forwards it as it is: each packet
    // also carries the previous frame, and one lost packet costs no audio.
    const [published] = await audioFormats(pub, 'remote');
    const first = published?.formats[0] ?? '';
    const opus = published?.formats.find((pt) => published.codecs[pt]?.startsWith('opus/48000/2'));
    expect(published?.codecs[first]).toBe(`red/48000/2 ${opus}/${opus}`);
    const answered = await audioFormats(sub, 'local');
    expect(answered.some((m) => m.formats.some((pt) => m.codecs[pt]?.startsWith('red/48000/2')))).toBe(true);

    // Media only (UDP): the signalling WebSocket is not what is under test.
    await scene.ns.setLoss(5, { direction: 'down', protocol: 'udp' });
    const before = await receiving(sub);
    const wire0 = await scene.ns.ruleset();
    expect(wire0).toContain('numgen random mod 100 < 5');
    // Ten seconds of lossy media, sampled every second: decoding must progress in each sample.
    let last = before;
    let toldLoss = 0;
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      toldLoss = Math.max(toldLoss, await audioLossTold(pub));
      const now = await receiving(sub);
      expect(now.framesDecoded, `frames decoded during second ${i + 1} of loss`).toBeGreaterThan(last.framesDecoded);
      last = now;
    }
    const after = last;
    const received = after.videoReceived - before.videoReceived;
    const lost = after.videoLost - before.videoLost;
    const nacks = after.nacksSent - before.nacksSent;
    const samples = after.samples - before.samples;
    const concealedRatio = (after.concealed - before.concealed) / Math.max(1, samples);
    const dropped = await scene.ns.lossDropped('down');
    console.log(
      `[loss] dropped on the wire ${dropped}, video packets received ${received}, left lost ${lost}, NACKs sent ${nacks}, ` +
        `audio samples ${samples}, concealed ratio ${concealedRatio.toFixed(4)}, Opus FEC payloads ${after.audioFec - before.audioFec}`,
    );
    // The loss happened: nftables dropped packets towards bob.
    expect(dropped).toBeGreaterThan(10);
    expect(samples).toBeGreaterThan(0);
    // The subscriber asked for retransmissions…
    expect(nacks).toBeGreaterThan(0);
    // …and got them: 5 % of the packets never arrived the first time, but what stays lost after
    // retransmission is well under half of that (a retransmission is itself lost 5 % of the time).
    expect(received).toBeGreaterThan(100);
    expect(lost / (received + lost)).toBeLessThan(0.025);
    expect(concealedRatio).toBeLessThan(MAX_CONCEALED_RATIO);
    // The publisher's own link is clean: it hears of bob's loss only through the SFU's receiver
    // reports (rtcp/DownstreamLoss), so that its encoder adds Opus in-band FEC. The SFU's part:
    // the publisher's reports for its audio announced the subscriber's loss (sampled each second
    // above: the latest report alone may fall between two of the subscriber's, which Chromium
    // sends every 2.5–7.5 s) although its own link loses nothing.
    expect(toldLoss).toBeGreaterThan(0.01);
    // bob's decoder got redundant payloads. Chromium counts RED's redundant blocks and Opus
    // in-band FEC alike in fecPacketsReceived. RED brings them from the first packet, so this no
    // longer waits for the encoder to react to the loss it was told (up to FEC_WAIT_S without RED).
    let fec = after.audioFec - before.audioFec;
    for (let i = 0; fec === 0 && i < FEC_WAIT_S; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      fec = (await receiving(sub)).audioFec - before.audioFec;
    }
    console.log(`[loss] publisher told ${(toldLoss * 100).toFixed(1)} % audio loss; redundant (RED or FEC) payloads decoded: ${fec}`);
    expect(fec).toBeGreaterThan(0);
  }, 120_000);
});
