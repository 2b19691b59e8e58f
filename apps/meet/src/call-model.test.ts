import { describe, expect, test } from 'vitest';
import { CallModel, gridColumns, gridSize, namesSentence, stageLayout, type ListedStream, type LocalState } from './call-model.js';

const me: LocalState = { id: '1', name: 'Me', hasStream: true, audioOn: true, videoOn: true, sharing: false };

function listed(streamId: string, contactId: string, extra: Partial<ListedStream> = {}): ListedStream {
  return {
    streamId,
    contactId,
    contactName: `User ${contactId}`,
    screen: false,
    hasAudio: true,
    hasVideo: true,
    audioMuted: false,
    videoMuted: false,
    ...extra,
  };
}

describe('CallModel', () => {
  test('alone: one local camera tile; without a stream the local tile is an avatar, muted', () => {
    const model = new CallModel();
    expect(model.tiles(me).map((t) => [t.key, t.kind, t.audioMuted, t.videoMuted])).toEqual([['local', 'camera', false, false]]);
    expect(model.tiles({ ...me, hasStream: false }).map((t) => [t.kind, t.audioMuted, t.videoMuted])).toEqual([['avatar', true, true]]);
    expect(model.tiles({ ...me, audioOn: false })[0]?.audioMuted).toBe(true);
  });

  test("regression: a stream listed before its publisher's contactJoined still counts the join as an arrival", () => {
    const model = new CallModel();
    model.streamListed(listed('77', '2', { contactName: 'Grace' }));
    expect(model.tiles(me).map((t) => t.key)).toEqual(['local', 'stream-77']);
    expect(model.memberJoined('2', 'Grace')).toBe(true);
    expect(model.memberJoined('2', 'Grace')).toBe(false);
  });

  test('a member without a stream gets an avatar tile, replaced by a camera tile once they publish', () => {
    const model = new CallModel();
    expect(model.memberJoined('2', 'Ada')).toBe(true);
    expect(model.memberJoined('2', 'Ada')).toBe(false);
    expect(model.tiles(me).map((t) => t.key)).toEqual(['local', 'member-2']);
    model.streamListed(listed('77', '2', { contactName: 'Ada' }));
    const tiles = model.tiles(me);
    expect(tiles.map((t) => [t.key, t.kind, t.name, t.streamId])).toEqual([
      ['local', 'camera', 'Me', null],
      ['stream-77', 'camera', 'Ada', '77'],
    ]);
  });

  test('stream updates and flow changes drive the mute indicators and the member state', () => {
    const model = new CallModel();
    model.streamListed(listed('5', '2'));
    expect(model.memberState('2')).toEqual({ audioMuted: false, videoMuted: false, sharing: false });
    model.streamListed(listed('5', '2', { audioMuted: true }));
    expect(model.tiles(me)[1]?.audioMuted).toBe(true);
    model.streamFlow('5', 'audio', true);
    model.streamFlow('5', 'video', false);
    expect(model.memberState('2')).toEqual({ audioMuted: false, videoMuted: true, sharing: false });
    model.streamFlow('unknown', 'audio', false);
    expect(model.memberState('9')).toEqual({ audioMuted: true, videoMuted: true, sharing: false });
  });

  test('screen shares come first (spotlight), local share included', () => {
    const model = new CallModel();
    model.streamListed(listed('5', '2'));
    model.streamListed(listed('6', '2', { screen: true, hasAudio: false }));
    expect(model.tiles(me).map((t) => [t.key, t.kind])).toEqual([
      ['stream-6', 'screen'],
      ['local', 'camera'],
      ['stream-5', 'camera'],
    ]);
    expect(model.memberState('2').sharing).toBe(true);
    expect(model.tiles({ ...me, sharing: true }).map((t) => t.key)).toEqual(['local-screen', 'stream-6', 'local', 'stream-5']);
  });

  test('unlisting a stream or the member leaving removes the tiles', () => {
    const model = new CallModel();
    model.streamListed(listed('5', '2'));
    model.streamListed(listed('6', '3'));
    expect(model.streamUnlisted('5')).toBe(true);
    expect(model.streamUnlisted('5')).toBe(false);
    expect(model.tiles(me).map((t) => t.key)).toEqual(['local', 'stream-6', 'member-2']);
    expect(model.memberLeft('2')?.name).toBe('User 2');
    expect(model.memberLeft('3')?.id).toBe('3');
    expect(model.tiles(me).map((t) => t.key)).toEqual(['local']);
    expect(model.stream('6')).toBeUndefined();
  });
});

test('a replaced stream keeps its tile under the new id', () => {
  const model = new CallModel();
  model.streamListed(listed('5', '2', { audioMuted: true }));
  model.streamRenamed('5', '9');
  model.streamRenamed('404', '10');
  expect(model.stream('5')).toBeUndefined();
  expect(model.tiles(me).map((t) => [t.key, t.streamId, t.audioMuted])).toEqual([
    ['local', null, false],
    ['stream-9', '9', true],
  ]);
});

describe('layout', () => {
  test('gridColumns makes the tiles as large as possible', () => {
    expect(gridColumns(1, 1200, 700)).toBe(1);
    expect(gridColumns(2, 1200, 700)).toBe(2);
    expect(gridColumns(2, 390, 700)).toBe(1);
    expect(gridColumns(4, 1200, 700)).toBe(2);
    expect(gridColumns(6, 1200, 700)).toBe(3);
    expect(gridColumns(3, 0, 0)).toBe(1);
  });

  test('gridSize keeps tiles between 4:3 (3:4 on a portrait stage) and 16:9 and accounts for gaps', () => {
    expect(gridSize(1, 1600, 600)).toEqual({ columns: 1, rows: 1, tileWidth: 1066, tileHeight: 600 });
    expect(gridSize(2, 1200, 700, 10)).toEqual({ columns: 2, rows: 1, tileWidth: 595, tileHeight: 446 });
    expect(gridSize(2, 390, 700, 10)).toEqual({ columns: 1, rows: 2, tileWidth: 390, tileHeight: 345 });
    expect(gridSize(1, 300, 900)).toEqual({ columns: 1, rows: 1, tileWidth: 300, tileHeight: 400 });
    expect(gridSize(0, 100, 100).tileWidth).toBe(0);
  });

  test('a screen share in first position switches to spotlight', () => {
    const model = new CallModel();
    model.streamListed(listed('6', '2', { screen: true }));
    // The sharer publishes no camera: screen, local tile, and an avatar tile for them.
    expect(model.tiles(me).map((t) => t.kind)).toEqual(['screen', 'camera', 'avatar']);
    expect(stageLayout(model.tiles(me), 1200, 700)).toEqual({ mode: 'spotlight', columns: 1, rows: 2 });
    expect(stageLayout(model.tiles(me), 390, 700)).toEqual({ mode: 'spotlight', columns: 2, rows: 1 });
    expect(stageLayout(model.tiles(me).slice(0, 1), 1200, 700)).toEqual({ mode: 'grid', columns: 1, rows: 1 });
    expect(stageLayout(new CallModel().tiles(me), 1200, 700)).toEqual({ mode: 'grid', columns: 1, rows: 1 });
  });
});

test('namesSentence', () => {
  expect(namesSentence([])).toBe('');
  expect(namesSentence(['Ada'])).toBe('Ada');
  expect(namesSentence(['Ada', 'Grace'])).toBe('Ada and Grace');
  expect(namesSentence(['A', 'B', 'C'])).toBe('A, B and C');
  expect(namesSentence(['A', 'B', 'C', 'D'])).toBe('A, B and 2 others');
});
