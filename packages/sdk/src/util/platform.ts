/**
 * Browser and OS description from the user-agent string (`apiRTC.browser`, `osName`, …, docs/sdk-reference.md#globals-and-browser-description).
 * Pure and safe without `navigator` (side-effect-free import in Node or jsdom).
 */
export interface PlatformInfo {
  browser: string;
  browser_version: string;
  browser_major_version: string;
  osName: string;
  osVersion: string;
  deviceType: string;
  engineName: string;
  engineVersion: string;
}

// Order matters: Edge and Opera carry "Chrome/", Chrome carries "Safari/".
const BROWSERS: [name: string, pattern: RegExp][] = [
  ['Edge', /Edg(?:e|A|iOS)?\/([\d.]+)/],
  ['Opera', /(?:OPR|Opera)\/([\d.]+)/],
  ['Samsung Browser', /SamsungBrowser\/([\d.]+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/([\d.]+)/],
  ['Chrome', /(?:HeadlessChrome|Chrome|CriOS|Chromium)\/([\d.]+)/],
  ['Mobile Safari', /Version\/([\d.]+).*Mobile.*Safari/],
  ['Safari', /Version\/([\d.]+).*Safari/],
];

const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['Windows', /Windows NT ([\d.]+)/],
  ['iOS', /(?:iPhone|iPad|iPod).*? OS ([\d_]+)/],
  ['Android', /Android ([\d.]+)/],
  ['Mac OS', /Mac OS X ([\d_.]+)/],
  ['Chromium OS', /CrOS \S+ ([\d.]+)/],
  ['Linux', /Linux()/],
];

/** Parses a user-agent string; unknown parts are empty strings. */
export function parseUserAgent(ua: string): PlatformInfo {
  const info: PlatformInfo = {
    browser: '',
    browser_version: '',
    browser_major_version: '',
    osName: '',
    osVersion: '',
    deviceType: '',
    engineName: '',
    engineVersion: '',
  };
  for (const [name, re] of BROWSERS) {
    const m = re.exec(ua);
    if (m) {
      info.browser = name;
      info.browser_version = m[1] ?? '';
      info.browser_major_version = info.browser_version.split('.')[0] ?? '';
      break;
    }
  }
  for (const [name, re] of SYSTEMS) {
    const m = re.exec(ua);
    if (m) {
      info.osName = name;
      info.osVersion = (m[1] ?? '').replace(/_/g, '.');
      break;
    }
  }
  if (/iPad|Tablet/.test(ua)) info.deviceType = 'tablet';
  else if (/Mobi|iPhone|Android/.test(ua)) info.deviceType = 'mobile';
  const engine = /(AppleWebKit|Gecko|Trident)\/([\d.]+)/.exec(ua);
  if (engine) {
    info.engineName = engine[1] === 'AppleWebKit' ? (/Chrome\//.test(ua) ? 'Blink' : 'WebKit') : (engine[1] ?? '');
    info.engineVersion = engine[2] ?? '';
  }
  return info;
}

/** The current page's platform, or empty strings outside a browser. */
export const platform: PlatformInfo = parseUserAgent(typeof navigator !== 'undefined' && typeof navigator.userAgent === 'string' ? navigator.userAgent : '');

/** `navigator.mediaDevices`, or undefined outside a secure browser context. */
export function mediaDevices(): MediaDevices | undefined {
  return typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
}

/** True when the page can run WebRTC (`apiRTC.webRTCCompliant`). */
export function isWebRTCCompliant(): boolean {
  return typeof RTCPeerConnection !== 'undefined';
}
