// The functions tests/e2e/media/page.html puts on `window` (browser side only), and what they
// resolve, as sfu-forwarding.e2e.test.ts reads it.

interface MediaPageVideoState {
  width: number;
  framesDecoded: number;
  codec: string;
  pliCount: number;
  nackCount: number;
}

interface MediaPageSubscriberState {
  video: Record<string, MediaPageVideoState>;
  audio: Record<string, { packetsReceived: number }>;
  transceivers: { mid: string | null; currentDirection: string | null; kind: string; trackId: string }[];
  removedTracks: { streamId: string; trackId: string; kind: string }[];
  firstFrameAt: Record<string, number>;
  connectionState: string;
}

interface MediaPagePublisherState {
  connectionState: string;
  outbound: { kind: string; mid: string; packetsSent: number; pliCount: number; keyFramesEncoded: number; targetBitrate: number }[];
  remoteInbound: { kind: string; packetsLost: number; fractionLost: number; roundTripTime?: number }[];
}

interface Window {
  addCandidate(kind: string, candidate: string, sdpMid: string): Promise<void>;
  publishCamera(): Promise<{ sdp: string; streamId: string }>;
  publishSecond(): Promise<{ sdp: string; streamId: string }>;
  unpublishSecond(): Promise<string>;
  republishSecond(): Promise<string>;
  applyPublisherAnswer(sdp: string): Promise<void>;
  answerSubscriberOffer(sdp: string): Promise<string>;
  subscriberState(): Promise<MediaPageSubscriberState>;
  publisherState(): Promise<MediaPagePublisherState>;
}
