import type { RoomChat, RoomMessage, SharedFile } from './room-chat.js';

/*
 * What the room's chat gets from the server's storage: the messages and files shared before this
 * user joined, and files this user shares (conversation.pushData).
 */

type Media = Awaited<ReturnType<apiRTC.Conversation['pushData']>>;

function shared(media: Media): SharedFile {
  return { name: media.name, url: media.url, size: media.size };
}

/** A file another participant shared, as a chat line. */
export function receivedFile(chat: RoomChat, sender: apiRTC.Contact, media: Media): void {
  chat.received(sender.getId(), sender.getUsername(), media.name, media.time, { id: `file:${media.id}`, file: shared(media) });
}

/**
 * Shows what was said and shared in the room before this user joined (the server keeps it for
 * participants). Failures only leave the chat as it is: the call goes on without its past.
 */
export async function loadEarlier(conv: apiRTC.Conversation, session: apiRTC.Session, chat: RoomChat): Promise<void> {
  const selfId = session.getId();
  const [messages, files] = await Promise.all([
    conv.fetchMessageHistory(session, { count: 100 }).catch(() => []),
    conv.fetchMediaList(session).catch(() => []),
  ]);
  const name = (id: string, fallback: string): string => (id === selfId ? 'You' : session.getOrCreateContact(id).getUsername() || fallback);
  const earlier: Omit<RoomMessage, 'key'>[] = [
    ...messages.map((m) => ({
      mine: m.sender_id === selfId,
      senderId: m.sender_id,
      senderName: name(m.sender_id, m.display_name),
      text: m.content,
      time: m.date,
      id: String(m.uuid),
    })),
    ...files.map((f) => ({
      mine: f.senderId === selfId,
      senderId: f.senderId,
      senderName: name(f.senderId, f.senderId),
      text: f.name,
      time: f.time,
      id: `file:${f.id}`,
      file: shared(f),
    })),
  ];
  earlier.sort((a, b) => a.time.getTime() - b.time.getTime());
  chat.earlier(earlier);
}

/** Uploads `file` to the room; the line shows "sending" until stored, then the link. */
export async function shareFile(conv: apiRTC.Conversation, chat: RoomChat, selfId: string, file: File, describe: (error: unknown) => string): Promise<void> {
  const line = chat.sending(selfId, 'You', file.name);
  try {
    const media = await conv.pushData({ file });
    chat.delivered(line, { id: `file:${media.id}`, file: shared(media) });
  } catch (error) {
    chat.failed(line, describe(error));
  }
}
