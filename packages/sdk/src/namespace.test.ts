import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as esm from './index.js';

interface ClassSurface {
  methods: Record<string, string>;
  staticMethods: Record<string, string>;
  events: Record<string, string>;
}
interface Surface {
  version: string;
  classes: Record<string, ClassSurface>;
  globals: Record<string, string>;
  constants: Record<string, { type: string; value: string | number }>;
}

const surface = JSON.parse(readFileSync(new URL('../../../tests/fixtures/api-surface.json', import.meta.url), 'utf8')) as Surface;
const apiRTC = esm.default as unknown as Record<string, unknown>;
type Ctor = { prototype: Record<string, unknown>; getAvailableEvents?: () => string[] } & Record<string, unknown>;

describe('module shape (imported in Node: no DOM, no WebRTC)', () => {
  test('importing has no side effect and the namespace has the apiRTC version', () => {
    expect(apiRTC['version']).toBe('5.0.35');
    expect(apiRTC['version']).toBe(surface.version);
    expect(typeof apiRTC['parleyVersion']).toBe('string');
    expect(apiRTC['userAgentInstance']).toBeUndefined();
    expect('userAgentInstance' in apiRTC).toBe(true);
    expect(apiRTC['session']).toEqual({ apiCCId: null, presenceGroup: [], subscribeToPresenceGroup: [] });
  });

  test('every class of the surface exists, with getAvailableEvents() equal to its event list in order', () => {
    for (const [name, cls] of Object.entries(surface.classes)) {
      const ctor = apiRTC[name] as Ctor | undefined;
      expect(typeof ctor, name).toBe('function');
      expect(ctor?.getAvailableEvents?.(), `${name}.getAvailableEvents()`).toEqual(Object.keys(cls.events));
    }
  });

  test('every method and static method of the surface exists (P2 included)', () => {
    const missing: string[] = [];
    for (const [name, cls] of Object.entries(surface.classes)) {
      const ctor = apiRTC[name] as Ctor;
      for (const m of Object.keys(cls.methods)) if (typeof ctor.prototype[m] !== 'function') missing.push(`${name}.prototype.${m}`);
      for (const m of Object.keys(cls.staticMethods)) if (typeof ctor[m] !== 'function') missing.push(`${name}.${m}`);
    }
    expect(missing).toEqual([]);
  });

  test('every global and constant exists with its value; Symbols are created once', () => {
    for (const name of Object.keys(surface.globals)) expect(name in apiRTC, name).toBe(true);
    for (const [name, c] of Object.entries(surface.constants)) {
      const value = apiRTC[name];
      if (c.type === 'symbol') expect((value as symbol).description, name).toBe(c.value);
      else expect(value, name).toBe(c.value);
      expect(esm[name as keyof typeof esm], `named export ${name}`).toBe(value);
    }
    expect(apiRTC['utils']).toEqual({ EventEmitter: apiRTC['EventEmitter'], EventCenter: apiRTC['EventCenter'] });
  });

  test('named ESM exports are exactly the namespace keys (state holders aside)', () => {
    const state = new Set(['userAgentInstance', 'session']);
    const named = Object.keys(esm)
      .filter((k) => k !== 'default')
      .sort();
    const keys = Object.keys(apiRTC)
      .filter((k) => !state.has(k))
      .sort();
    expect(named).toEqual(keys);
    for (const k of keys) expect(esm[k as keyof typeof esm], k).toBe(apiRTC[k]);
  });

  test('apps cannot construct a Stream or a Session', () => {
    const Stream = apiRTC['Stream'] as new (...a: unknown[]) => unknown;
    const Session = apiRTC['Session'] as new (...a: unknown[]) => unknown;
    expect(() => new Stream(null, {})).toThrow();
    expect(() => new Session({})).toThrow();
  });
});
