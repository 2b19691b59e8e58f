// Injected into the fuzz test's chat pages (after conv-page.js): `CHAT` sends numbered
// conversation messages until stopped and lists what arrived from a given sender.
// Plain browser JavaScript, never transformed.
/* global CONV, E2E -- Page globals: the SDK bundle and the harness scripts loaded before these functions run. */
(() => {
  if (window.CHAT) return;
  const CHAT = {
    sent: [],
    failures: [],
    stopped: false,
    done: null,
    /** Sends `<prefix>-0`, `<prefix>-1`, … one after the other, `gapMs` apart, until stop(). */
    start(prefix, gapMs) {
      CHAT.done = (async () => {
        for (let n = 0; !CHAT.stopped; n++) {
          const text = `${prefix}-${n}`;
          try {
            await CONV.conv.sendMessage(text);
            CHAT.sent.push(text);
          } catch (e) {
            CHAT.failures.push({ text, error: E2E.error(e) });
          }
          await new Promise((r) => setTimeout(r, gapMs));
        }
      })();
    },
    /** Stops sending; resolves the messages sent (each one resolved by the SDK). */
    async stop() {
      CHAT.stopped = true;
      await CHAT.done;
      return { sent: CHAT.sent, failures: CHAT.failures };
    },
    /** Contents of the conversation messages received from `senderId`, in arrival order. */
    from(senderId) {
      return E2E.of('message')
        .filter((m) => m.senderId === senderId)
        .map((m) => m.content);
    },
  };
  window.CHAT = CHAT;
})();
