import { readFileSync } from 'node:fs';

/*
 * The server version comes from packages/server/package.json. The relative path is the same
 * from src/ (tests, through the "source" condition) and from dist/ (built server).
 */
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Version of the Parley server, as in its package.json. */
export const SERVER_VERSION: string = pkg.version;
