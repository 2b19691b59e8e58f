import { describe, expect, it } from 'vitest';
import { demoKeyWarning } from './demoKeyWarning.js';

describe('demoKeyWarning', () => {
  it('warns when the demo key is on and the server listens beyond loopback', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'meet.example.com']) {
      expect(demoKeyWarning({ demoKey: true, host }), host).toMatch(/myDemoApiKey' is ON .*PARLEY_DEMO_KEY=off/s);
    }
  });

  it('is silent on loopback, or with the demo key off', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(demoKeyWarning({ demoKey: true, host }), host).toBeNull();
    expect(demoKeyWarning({ demoKey: false, host: '0.0.0.0' })).toBeNull();
  });
});
