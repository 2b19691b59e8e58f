// In-page functions of the processors benchmark (bench/benchmarks/processors.mjs), run with
// page.evaluate on the benchmark page that loaded /sdk/parley.js.
/* global apiRTC, B -- Page globals of the benchmark page. */

/**
 * Starts one case and resolves when its element plays. A video case also hands the shown track to
 * a counting worker (a MediaStreamTrackProcessor stream transferred there): the frames the track
 * delivers to a sink (what an encoder would get), counted off the page's main thread, where
 * requestVideoFrameCallback's count competes with the page's own work (segmentation).
 */
export const PAGE_START = async ({ kind, processor }) => {
  window.B = window.B || { ua: new apiRTC.UserAgent({ uri: 'apiKey:myDemoApiKey' }) };
  const constraints =
    kind === 'video' ? { audio: false, video: { width: 640, height: 480, frameRate: 30 } } : { audio: { noiseSuppression: false }, video: false };
  const base = await B.ua.createStream({ constraints });
  let shown = base;
  if (processor === 'noiseReduction') shown = await base.applyAudioProcessor('noiseReduction');
  if (processor === 'blur') shown = await base.applyVideoProcessor('blur');
  if (processor === 'backgroundImage') {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 320, 240);
    grad.addColorStop(0, '#3a6');
    grad.addColorStop(1, '#36a');
    g.fillStyle = grad;
    g.fillRect(0, 0, 320, 240);
    shown = await base.applyVideoProcessor('backgroundImage', { backgroundImageUrl: c.toDataURL() });
  }
  const el = document.createElement(kind === 'video' ? 'video' : 'audio');
  el.muted = kind === 'video';
  el.autoplay = true;
  document.getElementById('media').appendChild(el);
  el.srcObject = shown.getData();
  await el.play().catch(() => {});
  B.current = { base, el, presented: 0, counter: null };
  if (kind === 'video') {
    const tick = (_now, meta) => {
      B.current.presented = meta.presentedFrames;
      if (B.current.el === el) el.requestVideoFrameCallback(tick);
    };
    el.requestVideoFrameCallback(tick);
    const source = `let n = 0;
      let reader;
      onmessage = async (e) => {
        if (e.data === 'count') return postMessage(n);
        if (e.data === 'stop') {
          await reader.cancel().catch(() => {});
          return postMessage('stopped');
        }
        reader = e.data.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          value.close();
          n++;
        }
      };`;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const counter = new Worker(url);
    URL.revokeObjectURL(url);
    const { readable } = new MediaStreamTrackProcessor({ track: shown.getData().getVideoTracks()[0] });
    counter.postMessage(readable, [readable]);
    B.current.counter = counter;
  }
};

/** Frames presented by the element and delivered by the track so far (video cases). */
export const PAGE_FRAMES = async () => {
  const { presented, counter } = B.current;
  if (!counter) return { presented, delivered: 0 };
  const delivered = await new Promise((resolve) => {
    counter.onmessage = (e) => resolve(e.data);
    counter.postMessage('count');
  });
  return { presented, delivered };
};

export const PAGE_STOP = async () => {
  const { counter } = B.current;
  if (counter) {
    // Cancelled before the worker ends, so no frame it was handed is left unclosed.
    await new Promise((resolve) => {
      counter.onmessage = resolve;
      counter.postMessage('stop');
    });
    counter.terminate();
  }
  B.current.el.srcObject = null;
  B.current.el.remove();
  B.current.base.release();
  B.current = null;
};
