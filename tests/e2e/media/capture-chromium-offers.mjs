// Captures real Chromium offers for the SDP unit tests:
//   node tests/e2e/media/capture-chromium-offers.mjs
// writes packages/server/src/media/sdp/fixtures/chromium-*.sdp
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const out = new URL('../../../packages/server/src/media/sdp/fixtures/', import.meta.url);
const server = createServer((_, res) => res.end('<!doctype html><title>capture</title>'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const offers = await page.evaluate(async () => {
    const pc = new RTCPeerConnection();
    const cam = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    for (const t of cam.getTracks()) pc.addTransceiver(t, { direction: 'sendonly', streams: [cam] });
    const first = await pc.createOffer();
    await pc.setLocalDescription(first);
    // A second stream (what a screen share looks like on the wire) on the same connection.
    const second = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
    pc.addTransceiver(second.getVideoTracks()[0], { direction: 'sendonly', streams: [second] });
    const reoffer = await pc.createOffer();
    pc.close();
    return { first: first.sdp, reoffer: reoffer.sdp, ua: navigator.userAgent };
  });
  writeFileSync(new URL('chromium-offer-camera.sdp', out), offers.first);
  writeFileSync(new URL('chromium-reoffer-two-streams.sdp', out), offers.reoffer);
  console.log(offers.ua);
} finally {
  await browser.close();
  server.close();
}
