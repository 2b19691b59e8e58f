import type { MediaPlane } from './MediaApi.js';
import type { Sfu } from './Sfu.js';

// Compile-time proof that the in-process SFU satisfies the interface the signalling layer uses.
export type SfuIsMediaPlane = Sfu extends MediaPlane ? true : never;
const proof: SfuIsMediaPlane = true;
export default proof;
