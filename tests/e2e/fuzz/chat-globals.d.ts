// The `CHAT` page global of chat-page.js (browser side only).
interface ChatPageApi {
  start(prefix: string, gapMs: number): void;
  stop(): Promise<{ sent: string[]; failures: { text: string; error: unknown }[] }>;
  from(senderId: string): string[];
}
// eslint-disable-next-line no-var
declare var CHAT: ChatPageApi;
