import { useMemo } from 'react';
import type { RegisterInformation } from '@apirtc/apirtc';
import { VideoStream, useCameraStream, useConversation, useConversationContacts, useConversationStreams, useSession } from '@apirtc/react-lib';

export interface AppProps {
  room: string;
  serverUrl: string;
  apiKey: string;
}

/**
 * Registers with the API key, opens the camera, joins `room`, publishes the camera and shows every
 * remote stream. State is mirrored into data-* attributes so tests (and curious readers) can see it.
 */
export function App({ room, serverUrl, apiKey }: AppProps) {
  // Stable objects: the hooks re-run their effects when these identities change.
  const credentials = useMemo(() => ({ apiKey }), [apiKey]);
  // Without cloudUrl the library would point the SDK at apiRTC's cloud.
  const registerInfo = useMemo<RegisterInformation>(() => ({ cloudUrl: serverUrl }), [serverUrl]);
  const { session, connecting } = useSession(credentials, registerInfo);
  const { stream: camera, error: cameraError } = useCameraStream(session);
  const { conversation, joined } = useConversation(session, room);
  const { contacts } = useConversationContacts(conversation);
  const toPublish = useMemo(() => (camera ? [{ stream: camera }] : []), [camera]);
  const { publishedStreams, subscribedStreams } = useConversationStreams(conversation, toPublish);

  const state = !session ? (connecting ? 'connecting' : 'idle') : joined ? 'joined' : 'registered';
  return (
    <main id="app" data-state={state} data-user-id={session?.getId() ?? ''}>
      <h1>Parley React example</h1>
      <p>
        Room <strong id="room">{room}</strong>: {state}
        {cameraError ? <span id="camera-error"> (camera: {String(cameraError)})</span> : null}
      </p>
      <p id="contacts" data-count={contacts.length}>
        Others here: {contacts.map((c) => c.getId()).join(', ') || 'nobody yet'}
      </p>
      <section className="videos" id="local" data-count={publishedStreams.length}>
        {publishedStreams.map((s) => (
          <VideoStream key={s.getId()} stream={s} muted />
        ))}
      </section>
      <section className="videos" id="remote" data-count={subscribedStreams.length}>
        {subscribedStreams.map((s) => (
          <VideoStream key={s.getId()} stream={s} />
        ))}
      </section>
    </main>
  );
}
