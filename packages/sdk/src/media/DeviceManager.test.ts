import { describe, expect, test, vi } from 'vitest';
import { MediaDevice } from './MediaDevice.js';
import { DeviceManager, diffDeviceLists, emptyDeviceList } from './DeviceManager.js';

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
      'id1',
      'id1',
      'videoinput',
      'Cam',
      true,
      false,
      false,
    ]);
  });
});

describe('DeviceManager replay bookkeeping', () => {
  test('an unannounced change is handed over once, relative to the last announced list', async () => {
    const devices = [{ deviceId: 'a', kind: 'audioinput', label: '' }];
    vi.stubGlobal('navigator', { mediaDevices: { enumerateDevices: async () => devices, addEventListener: () => undefined } });
    const manager = new DeviceManager();
    await manager.refresh('updatedOnDeviceChange');
    manager.markUnannounced('updatedOnDeviceChange');
    expect(manager.takeUnannounced()).toMatchObject({ firstMediaDeviceListInitialization: true, updateReason: 'updatedOnDeviceChange' });
    expect(manager.takeUnannounced()).toBeUndefined();
    devices.push({ deviceId: 'v', kind: 'videoinput', label: 'cam' });
    await manager.refresh('updatedOnDeviceChange');
    manager.markUnannounced('updatedAfterGetUserMediaSuccess');
    const change = manager.takeUnannounced();
    expect(change?.added.map((d) => d.getId())).toEqual(['v']);
    expect(change?.firstMediaDeviceListInitialization).toBe(false);
    vi.unstubAllGlobals();
  });
});
