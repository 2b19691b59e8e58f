export * from './errors.js';
export * from './limits.js';
export * from './common.js';
export * from './client.js';
export * from './server.js';
export * from './conversation.js';
export * from './moderation.js';
export * from './recording.js';
export * from './history.js';
export * from './cloudMedia.js';
export * from './peer.js';
export * from './ice.js';
export * from './results.js';
export * from './requests.js';
export { explainIssues } from './explain.js';

/** Protocol revision; bumped on incompatible changes. Sent by the server in `RegisterResult`. */
export const PROTOCOL_VERSION = 1;
export { bounded, utf8Length } from './bounded.js';
export * from './mediaWorker.js';
