import { describe, expect, test } from 'vitest';
import { MediaDevice } from '../api/MediaDevice.js';
import { diffDeviceLists, emptyDeviceList } from './DeviceManager.js';

describe('device list differences', () => {
  test('added, removed and relabelled devices', () => {
    const before = emptyDeviceList();
    before.audioinput['a'] = new MediaDevice('a', 'audioinput', '');
    before.videoinput['v'] = new MediaDevice('v', 'videoinput', 'cam');
    const after = emptyDeviceList();
    after.audioinput['a'] = new MediaDevice('a', 'audioinput', 'Mic');
    after.audiooutput['o'] = new MediaDevice('o', 'audiooutput', 'Speaker');
    const diff = diffDeviceLists(before, after);
    expect(diff.added.map((d) => d.getId())).toEqual(['o']);
    expect(diff.removed.map((d) => d.getId())).toEqual(['v']);
    expect(diff.updated.map((d) => d.getLabel())).toEqual(['Mic']);
  });

  test('MediaDevice accessors', () => {
    const d = new MediaDevice('id1', 'videoinput', 'Cam');
    expect([d.id, d.getId(), d.getType(), d.getLabel(), d.isCamera(), d.isMicrophone(), d.isAudioOutput()]).toEqual([
      'id1', 'id1', 'videoinput', 'Cam', true, false, false,
    ]);
  });
});
