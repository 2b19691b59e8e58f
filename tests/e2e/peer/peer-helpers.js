/* global E2E, Parley -- globals of the test page: page-helpers.js and the SDK bundle */
// Injected into the peer-session test pages (calls, files, data channels) after the SDK loaded:
// records Call, invitation and data channel events as serialisable summaries into E2E.events, and
// checks that received video really decodes. Plain JS, run in the browser as is.
(function () {
  const statusName = (s) => (typeof s === 'symbol' ? s.description : String(s));
  const PEER = {
    /** Records every event of `call` as `call:<event>` with `tag`, keeps it as E2E.keep[tag]. */
    trackCall(call, tag) {
      E2E.keep[tag] = call;
      const rec = (name, extra) => E2E.record('call:' + name, Object.assign({ tag, callId: call.getId() }, extra || {}));
      call
        .on('accepted', () => rec('accepted'))
        .on('declined', (e) => rec('declined', { reason: e.reason }))
        .on('hangup', (e) =>
          rec('hangup', { from: e.from, reason: e.reason, status: statusName(call.getStatus()), received: call.getReceivedStreams().length }),
        )
        .on('localStreamAvailable', (s) => rec('localStreamAvailable', { streamId: s.getId(), isRemote: s.isRemote, video: s.hasVideo(), audio: s.hasAudio() }))
        .on('streamAdded', (s) => {
          E2E.keep[tag + ':remote'] = s;
          rec('streamAdded', {
            streamId: s.getId(),
            isRemote: s.isRemote,
            video: s.hasVideo(),
            audio: s.hasAudio(),
            contact: s.getContact ? s.getContact().getId() : null,
          });
        })
        .on('streamRemoved', (s) => rec('streamRemoved', { streamId: s.getId() }))
        .on('error', (e) => rec('error', { errorCode: e.errorCode }))
        .on('userMediaError', () => rec('userMediaError'));
      return call;
    },
    /** Records each `statsUpdate` of a call as `call:statsUpdate {stats}`; keeps the last in E2E.keep.lastStats. */
    trackStats(call) {
      call.on('statsUpdate', (stats) => {
        E2E.keep['lastStats'] = stats;
        E2E.record('call:statsUpdate', { stats });
      });
      return call;
    },
    /** Records statusChange (and expired) of an invitation as `inv:<event>`. */
    trackInvitation(invitation, tag) {
      E2E.keep[tag] = invitation;
      invitation.on('statusChange', (e) => E2E.record('inv:statusChange', { tag, status: statusName(e.status), id: e.id }));
      if (typeof invitation.getCallType === 'function') invitation.on('expired', () => E2E.record('inv:expired', { tag }));
      return invitation;
    },
    /** Plays the remote stream of `tag` in a <video>; true once at least `frames` new frames were decoded. */
    async decodes(tag, frames) {
      const stream = E2E.keep[tag + ':remote'];
      if (!stream || !stream.data) return false;
      let video = document.getElementById('v-' + tag);
      if (!video) {
        video = document.createElement('video');
        video.id = 'v-' + tag;
        video.muted = true;
        video.autoplay = true;
        video.playsInline = true;
        document.body.appendChild(video);
        stream.attachToElement(video);
      }
      const start = video.getVideoPlaybackQuality().totalVideoFrames;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const now = video.getVideoPlaybackQuality().totalVideoFrames;
      return video.videoWidth > 0 && now - start >= frames;
    },
    status: statusName,
  };
  window.PEER = PEER;
})();
(function () {
  const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
  Object.assign(window.PEER, {
    /** A Blob of `bytes` random bytes (filled 64 KiB at a time: getRandomValues' limit). */
    randomBlob(bytes, type) {
      const data = new Uint8Array(bytes);
      for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(bytes, i + 65536)));
      return new Blob([data], { type: type || '' });
    },
    /** SHA-256 of a Blob or ArrayBuffer, hex. */
    async sha256(data) {
      const buf = data instanceof Blob ? await data.arrayBuffer() : data;
      return hex(await crypto.subtle.digest('SHA-256', buf));
    },
    /** Data-channel bytes received by this page's peer connections (from their stats). */
    async dataChannelBytesReceived() {
      let total = 0;
      for (const pc of Parley.debug.peerConnections()) {
        const stats = await pc.getStats();
        stats.forEach((s) => {
          if (s.type === 'data-channel') total += s.bytesReceived || 0;
        });
      }
      return total;
    },
  });
})();
