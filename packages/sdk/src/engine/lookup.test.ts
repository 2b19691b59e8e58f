import { describe, expect, it } from 'vitest';
import { clusterUrls } from './lookup.js';

describe('clusterUrls (reconnecting to another cluster node)', () => {
  it('lists the server first, then every other node once, as WebSocket URLs', () => {
    const found = { wsPath: '/ws', nodes: ['http://127.0.0.1:3001', 'https://node2.example.com/', 'http://127.0.0.1:3001'] };
    expect(clusterUrls('ws://127.0.0.1:3001/ws', found)).toEqual(['ws://127.0.0.1:3001/ws', 'wss://node2.example.com/ws']);
  });

  it('keeps only the server without a cluster, and skips anything but http(s) base URLs', () => {
    expect(clusterUrls('ws://a/ws', { wsPath: '/ws' })).toEqual(['ws://a/ws']);
    expect(clusterUrls('ws://a/ws', { wsPath: '/ws', nodes: ['javascript:alert(1)', 'ftp://b', 'http://c'] })).toEqual(['ws://a/ws', 'ws://c/ws']);
  });
});
