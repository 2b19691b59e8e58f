import type { Answer, TestClient } from './TestClient.js';

/** Joins `conversation` and returns the answer (throws on failure). */
export async function joinConversation(
  client: TestClient,
  conversation: string,
  options: { mesh?: boolean; meshOnly?: boolean } = {},
): Promise<{ mode: string; meshOnly: boolean }> {
  const answer = await client.request({
    type: 'conv.join',
    conversation,
    meshModeEnabled: options.mesh ?? false,
    meshOnlyEnabled: options.meshOnly ?? false,
  });
  if (!answer.ok) throw new Error(`conv.join failed: ${answer.error.code} ${answer.error.message}`);
  return answer.data as { mode: string; meshOnly: boolean };
}

/** Publishes a camera-like stream (audio + video). */
export function publish(client: TestClient, conversation: string, streamId: number, msid = `msid-${streamId}`): Promise<Answer> {
  return client.request({
    type: 'conv.publish',
    conversation,
    streamId,
    msid,
    hasAudio: true,
    hasVideo: true,
    isAudioMuted: false,
    isVideoMuted: false,
    isScreensharing: false,
  });
}

/** The error code of an answer (undefined when it succeeded). */
export function codeOf(answer: Answer): number | undefined {
  return answer.ok ? undefined : answer.error.code;
}

/** The data of a successful answer; throws on an error answer. */
export function dataOf<T>(answer: Answer): T {
  if (!answer.ok) throw new Error(`request failed: ${answer.error.code} ${answer.error.message}`);
  return answer.data as T;
}
