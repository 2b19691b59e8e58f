import { describe, expect, test } from 'vitest';
import { buildUserMediaConstraints } from './constraints.js';

describe('createStream option rules', () => {
  test('audio and video by default', () => {
    expect(buildUserMediaConstraints()).toEqual({ audio: true, video: true });
  });

  test('false turns a medium off; null follows constraints only', () => {
    expect(buildUserMediaConstraints({ videoInputId: false })).toEqual({ audio: true, video: false });
    expect(buildUserMediaConstraints({ audioInputId: null, constraints: { video: true } })).toEqual({ audio: false, video: true });
    expect(buildUserMediaConstraints({ audioInputId: null, constraints: { audio: { echoCancellation: true } } })).toEqual({
      audio: { echoCancellation: true },
      video: true,
    });
  });

  test('device ids become exact deviceId constraints merged with the given ones', () => {
    expect(buildUserMediaConstraints({ audioInputId: 'mic', constraints: { video: { width: 320 } }, videoInputId: 'cam' })).toEqual({
      audio: { deviceId: { exact: 'mic' } },
      video: { width: 320, deviceId: { exact: 'cam' } },
    });
  });

  test('constraints are passed through; facingMode goes to video', () => {
    expect(buildUserMediaConstraints({ constraints: { audio: false, video: { height: 240 } }, facingMode: 'user' })).toEqual({
      audio: false,
      video: { height: 240, facingMode: 'user' },
    });
  });

  test('enhancedAudioActivated turns the browser audio processing off', () => {
    expect(buildUserMediaConstraints({ enhancedAudioActivated: true }).audio).toEqual({
      echoCancellation: false,
      autoGainControl: false,
      noiseSuppression: false,
    });
  });
});
