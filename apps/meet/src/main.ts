import { readConfig } from './config.js';
import { byId } from './dom.js';
import { Lobby } from './Lobby.js';
import { JoinView } from './views/JoinView.js';
import { MediaPanel } from './views/MediaPanel.js';

/**
 * Parley Meet, lobby edition. Flow: join form → register with `apiKey:<key>` in the chosen
 * group → lobby (presence, status, chat, device preview) → leave (unregister) → join form.
 */
function main(): void {
  if (typeof apiRTC === 'undefined') {
    document.body.textContent = 'The Parley SDK (/sdk/parley.js) could not be loaded.';
    return;
  }
  const config = readConfig(location.search);
  // One UserAgent per page, as apiRTC expects; it registers again after a leave.
  const ua = new apiRTC.UserAgent({ uri: `apiKey:${config.apiKey}` });
  const media = new MediaPanel(ua);
  const lobbyView = byId('lobby-view');
  const sessionBar = byId('topbar-session');
  let lobby: Lobby | null = null;
  let group = config.group;

  const join = async (name: string, chosenGroup: string): Promise<void> => {
    joinView.busy(true);
    group = chosenGroup;
    try {
      const session = await ua.register({
        groups: [group],
        subscribeTo: [group],
        nickname: name,
        userData: { status: 'available' },
      });
      lobby = new Lobby(ua, session, group, config, () => void rejoin());
      media.setIdentity(session.getId(), name);
      joinView.hide();
      lobbyView.hidden = false;
      sessionBar.hidden = false;
      const url = new URL(location.href);
      url.searchParams.set('group', group);
      history.replaceState(null, '', url);
    } catch (error) {
      const message = (error as Partial<apiRTC.ApiRTCError>).error?.message ?? String(error);
      joinView.fail(`Could not join: ${message}`);
    }
  };

  const leave = async (): Promise<void> => {
    lobby?.close();
    lobby = null;
    media.stop();
    await ua.unregister().catch(() => undefined);
    lobbyView.hidden = true;
    sessionBar.hidden = true;
    document.title = 'Parley Meet';
    joinView.show();
  };

  const rejoin = async (): Promise<void> => {
    const name = ua.getUsername();
    await leave();
    await join(name, group);
  };

  const joinView = new JoinView(config, (name, chosenGroup) => void join(name, chosenGroup));
  byId('leave-btn').addEventListener('click', () => void leave());
}

main();
