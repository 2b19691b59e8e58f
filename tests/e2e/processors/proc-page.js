// Injected into processor test pages (after the SDK): `PROC` shows streams in <video> elements,
// compares regions of their frames and measures audio levels. Plain browser JavaScript.
/* global E2E */
(() => {
  if (window.PROC) return;
  const videos = {};
  const analysers = {};
  let audioContext = null;
  const PROC = {
    /** Plays `mediaStream` in a muted <video id=key> (also keeps remote audio flowing into Web Audio). */
    show(key, mediaStream) {
      const el = document.createElement('video');
      el.id = key;
      el.muted = true;
      el.autoplay = true;
      el.playsInline = true;
      el.srcObject = mediaStream;
      document.body.appendChild(el);
      videos[key] = el;
      return el.play().catch(() => undefined);
    },
    ready(key) {
      const el = videos[key];
      return !!el && el.videoWidth > 0 && el.readyState >= 2;
    },
    /** RGB pixels of the current frame of <video id=key>, scaled to 640×480. */
    pixels(key) {
      const c = document.createElement('canvas');
      c.width = 640;
      c.height = 480;
      const ctx = c.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(videos[key], 0, 0, 640, 480);
      return ctx.getImageData(0, 0, 640, 480).data;
    },
    /** Mean absolute RGB difference (0..255) between two videos' current frames over each rect. */
    diff(keyA, keyB, rects) {
      const a = PROC.pixels(keyA);
      const b = PROC.pixels(keyB);
      return rects.map(([x, y, w, h]) => {
        let sum = 0;
        let n = 0;
        for (let j = y; j < y + h; j++) {
          for (let i = x; i < x + w; i++) {
            const o = (j * 640 + i) * 4;
            sum += Math.abs(a[o] - b[o]) + Math.abs(a[o + 1] - b[o + 1]) + Math.abs(a[o + 2] - b[o + 2]);
            n += 3;
          }
        }
        return sum / n;
      });
    },
    /** Mean RGB of a rect of <video id=key>. */
    color(key, [x, y, w, h]) {
      const p = PROC.pixels(key);
      const s = [0, 0, 0];
      for (let j = y; j < y + h; j++) {
        for (let i = x; i < x + w; i++) {
          const o = (j * 640 + i) * 4;
          s[0] += p[o];
          s[1] += p[o + 1];
          s[2] += p[o + 2];
        }
      }
      return s.map((v) => Math.round(v / (w * h)));
    },
    /** Frames a track delivers during `ms` (MediaStreamTrackProcessor; counts, never drops on purpose). */
    async countFrames(tracks, ms) {
      const counts = tracks.map(() => 0);
      const readers = tracks.map((t) => new MediaStreamTrackProcessor({ track: t.clone() }).readable.getReader());
      const stop = Date.now() + ms;
      await Promise.all(
        readers.map(async (r, i) => {
          while (Date.now() < stop) {
            const { value, done } = await r.read();
            if (done) break;
            value.close();
            counts[i]++;
          }
          await r.cancel();
        }),
      );
      return counts;
    },
    /** Starts level metering of an audio MediaStream (RMS per analyser block, dBFS). */
    meter(key, mediaStream) {
      audioContext = audioContext || new AudioContext();
      const source = audioContext.createMediaStreamSource(mediaStream);
      const analyser = audioContext.createAnalyser();
      analyser.fftSize = 2048;
      source.connect(analyser);
      const levels = [];
      const buf = new Float32Array(analyser.fftSize);
      const timer = setInterval(() => {
        analyser.getFloatTimeDomainData(buf);
        let sum = 0;
        for (const v of buf) sum += v * v;
        levels.push(10 * Math.log10(sum / buf.length + 1e-12));
      }, 40);
      analysers[key] = { levels, timer, source };
      return audioContext.resume();
    },
    /** Levels measured so far for `key`. */
    levels(key) {
      return analysers[key].levels.slice();
    },
    /**
     * Noise floor: the 20th percentile of the block levels (the quiet gaps between tone bursts),
     * leaving out the first second (the receiver's jitter buffer and RNNoise settling).
     */
    floor(key) {
      const l = analysers[key].levels.slice(25).sort((x, y) => x - y);
      return l[Math.floor(l.length * 0.2)];
    },
    peak(key) {
      const l = analysers[key].levels.slice().sort((x, y) => x - y);
      return l[Math.floor(l.length * 0.95)];
    },
    err: (e) => E2E.error(e),
  };
  window.PROC = PROC;
})();
