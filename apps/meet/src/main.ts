import { readConfig } from './config.js';
import { byId } from './dom.js';
import { Meeting } from './Meeting.js';
import { CancelledJoin } from './MeetingModeration.js';
import { ConnectionStatus } from './views/ConnectionStatus.js';
import { describe, LocalMedia } from './views/LocalMedia.js';
import { PreJoin } from './views/PreJoin.js';
import { Stage } from './views/Stage.js';
import { Toasts } from './views/Toasts.js';

/**
 * Parley Meet. Flow: pre-join (name, room, camera/mic preview) → register with
 * `apiKey:<key>` → join the Conversation named after the room and publish the camera → call
 * screen → leave (conversation leave, unregister) → pre-join again.
 */
function main(): void {
  if (typeof apiRTC === 'undefined') {
    document.body.textContent = 'The Parley SDK (/sdk/parley.js) could not be loaded.';
    return;
  }
  const config = readConfig(location.search);
  // One UserAgent per page, as apiRTC expects; it registers again for each call.
  const ua = new apiRTC.UserAgent({ uri: `apiKey:${config.apiKey}` });
  const media = new LocalMedia(ua);
  const toasts = new Toasts();
  const stage = new Stage();
  const connection = new ConnectionStatus();
  const callView = byId('call-view');
  let meeting: Meeting | null = null;
  let joining = false;
  /** Name and room of the current/last call (the "Rejoin" button of the banner uses them). */
  let last: { name: string; room: string; moderated: boolean } | null = null;

  const join = async (name: string, room: string, moderated: boolean): Promise<void> => {
    if (joining || meeting) return;
    joining = true;
    last = { name, room, moderated };
    prejoin.busy(true);
    const url = new URL(location.href);
    url.searchParams.set('room', room);
    if (moderated) url.searchParams.set('moderated', '1');
    else url.searchParams.delete('moderated');
    history.replaceState(null, '', url);
    let session: apiRTC.Session | null = null;
    try {
      session = await ua.register({ nickname: name });
      const current = new Meeting(session, name, room, { ...config, room, name, moderated }, media, toasts, stage, connection, (reason) => void leave(reason));
      meeting = current;
      media.setPreviewing(false);
      prejoin.hide();
      callView.hidden = false;
      await current.start();
    } catch (error) {
      const failed = meeting;
      meeting = null;
      await failed?.leave();
      if (session) await ua.unregister().catch(() => undefined);
      callView.hidden = true;
      prejoin.show();
      media.setPreviewing(true);
      if (error instanceof CancelledJoin) prejoin.busy(false);
      else prejoin.fail(`Could not join "${room}": ${describe(error)}`);
    } finally {
      joining = false;
    }
  };

  const leave = async (reason?: string): Promise<void> => {
    const current = meeting;
    if (!current) return;
    meeting = null;
    await current.leave();
    await ua.unregister().catch(() => undefined);
    callView.hidden = true;
    toasts.clear();
    prejoin.show();
    media.setPreviewing(true);
    if (reason === 'rejoin' && last) void join(last.name, last.room, last.moderated);
    else if (reason === 'ejected') prejoin.fail('The moderator removed you from the meeting.');
    else toasts.show('You left the meeting', 'info');
  };

  const prejoin = new PreJoin(config, media, (name, room, moderated) => void join(name, room, moderated));
  void media.start();
  // M / V toggle the microphone / camera on the pre-join screen too (the call has its own).
  document.addEventListener('keydown', (event) => {
    if (meeting || joining || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    if (event.key === 'm' || event.key === 'M') void media.toggle('audio');
    else if (event.key === 'v' || event.key === 'V') void media.toggle('video');
  });
  addEventListener('pagehide', () => {
    void meeting?.leave();
    media.stop();
  });
}

main();
