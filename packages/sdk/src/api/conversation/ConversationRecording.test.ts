import type { RecordingInfo } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { RequestError } from '../../engine/RequestError.js';
import type { ConversationScope } from './context.js';
import { ConversationRecording } from './ConversationRecording.js';

const info: RecordingInfo = {
  roomName: 'room',
  callId: 'COMPOSITE',
  recordType: 'composite',
  convId: 'c',
  mediaId: '1',
  mediaURL: 'http://x/media/recordings/1/f.mp4?exp=1&sig=s',
  recordedFileName: 'f.mp4',
  audioOnly: false,
  videoOnly: false,
  mode: 'complete',
  labelEnabled: false,
};

/** A scope whose requests are answered by `answer`, recording what was sent and emitted. */
function scope(answer: (body: { type: string }) => Promise<unknown>, joined = true) {
  const sent: { type: string }[] = [];
  const emitted: [string, unknown][] = [];
  const s = {
    ctx: {
      request: (body: { type: string }) => {
        sent.push(body);
        return answer(body);
      },
    },
    name: 'room',
    emit: (name: string, payload?: unknown) => emitted.push([name, payload]),
    joined: () => joined,
    epoch: () => 1,
  } as unknown as ConversationScope;
  return { s, sent, emitted };
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: number; error: Error }) => [e.code, e.error.message],
  );

describe('ConversationRecording', () => {
  it('starts with the options the server reads, and keeps the info', async () => {
    const { s, sent } = scope(() => Promise.resolve({ info }));
    const r = new ConversationRecording(s);
    expect(await r.start({ audioOnly: true, mode: 'efficient', labels: ['a'], customIdInFilename: 'x' })).toEqual(info);
    expect(sent[0]).toEqual({
      type: 'conv.startRecording',
      conversation: 'room',
      audioOnly: true,
      videoOnly: false,
      labelEnabled: false,
      mode: 'efficient',
      labels: ['a'],
      customIdInFilename: 'x',
    });
    expect(r.recorded).toBe(true);
    expect(r.info).toEqual(info);
  });

  it("rejects as apiRTC does: not joined, busy, timeout, the server's reason", async () => {
    expect(await rejection(new ConversationRecording(scope(() => Promise.resolve({ info }), false).s).start({}))).toEqual([
      0,
      'startRecording() - conversation not joined',
    ]);
    let release: (v: unknown) => void = () => undefined;
    const pending = new ConversationRecording(scope(() => new Promise((r) => (release = r))).s);
    const first = pending.start({});
    expect(await rejection(pending.start({}))).toEqual([0, 'startRecording() - busy']);
    expect(await rejection(pending.stop())).toEqual([0, 'stopRecording() - busy']);
    release({ info });
    await first;
    const timeout = new ConversationRecording(scope(() => Promise.reject(new RequestError('timeout', 11, 'timed out'))).s);
    expect(await rejection(timeout.start({}))).toEqual([0, 'startRecording() - timeout']);
    const refused = new ConversationRecording(scope(() => Promise.reject(new Error('START_RECORD_ALREADY_ON'))).s);
    expect(await rejection(refused.start({}))).toEqual([0, 'startRecording() - START_RECORD_ALREADY_ON']);
  });

  it('stop resolves the last known info when the confirmation times out', async () => {
    let calls = 0;
    const { s } = scope(() => (calls++ === 0 ? Promise.resolve({ info }) : Promise.reject(new RequestError('timeout', 11, 'timed out'))));
    const r = new ConversationRecording(s);
    await r.start({});
    expect(await r.stop()).toEqual(info);
  });

  it('turns conv.recording events into recordingStarted / Stopped / Available and the state', () => {
    const { s, emitted } = scope(() => Promise.resolve({ info }));
    const r = new ConversationRecording(s);
    r.onEvent({ type: 'conv.recording', seq: 1, conversation: 'room', state: 'ongoing', info });
    expect(r.recorded).toBe(true);
    expect(emitted).toEqual([]);
    r.onEvent({ type: 'conv.recording', seq: 2, conversation: 'room', state: 'stopped', info });
    r.onEvent({ type: 'conv.recording', seq: 3, conversation: 'room', state: 'available', info });
    r.onEvent({ type: 'conv.recording', seq: 4, conversation: 'room', state: 'started', info });
    expect(emitted.map(([n]) => n)).toEqual(['recordingStopped', 'recordingAvailable', 'recordingStarted']);
    expect(r.recorded).toBe(true);
    r.reset();
    expect(r.info).toBeNull();
  });
});
