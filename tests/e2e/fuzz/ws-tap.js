// Injected (context.addInitScript) into the pages that record the fuzz corpus, before the SDK
// loads: every text frame the page sends on a WebSocket is kept, parsed, in window.__wsFrames.
// Plain browser JavaScript, never transformed.
(() => {
  if (window.__wsFrames) return;
  const frames = [];
  window.__wsFrames = frames;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string') {
      try {
        frames.push(JSON.parse(data));
      } catch {
        frames.push({ unparsable: data });
      }
    }
    return send.call(this, data);
  };
})();
