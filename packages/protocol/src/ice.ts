import * as z from 'zod';
import { RequestId } from './common.js';

/*
 * ICE servers (STUN and TURN) the server hands each session: for the SFU connections, mesh
 * calls and 1-1 calls. TURN credentials are ephemeral (coturn's `use-auth-secret` REST scheme:
 * username `<expiry unix seconds>:<user id>`, credential base64(HMAC-SHA1(secret, username))),
 * so the client asks again (`ice.servers`) before `expiresAt`, and gets fresh ones on resume.
 */

/** One entry of RTCConfiguration.iceServers (the W3C shape, so the SDK passes it on as is). */
export const IceServer = z.object({
  urls: z
    .array(
      z
        .string()
        .max(512)
        .regex(/^(stun|stuns|turn|turns):/),
    )
    .min(1)
    .max(8),
  username: z.string().max(512).optional(),
  credential: z.string().max(512).optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/** ICE servers and when their credentials expire (ms since the epoch; absent: no TURN, no expiry). */
export const IceServersResult = z.object({
  iceServers: z.array(IceServer).max(8),
  expiresAt: z.number().int().positive().optional(),
});
export type IceServersResult = z.infer<typeof IceServersResult>;

/** Fresh ICE servers (new TURN credentials) for a long session. */
export const IceServersRequest = z.object({ type: z.literal('ice.servers'), id: RequestId });
export type IceServersRequest = z.infer<typeof IceServersRequest>;
