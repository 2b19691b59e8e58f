import { fileURLToPath } from 'node:url';
import type { E2EEnv, User } from '../harness/index.js';

const helpers = fileURLToPath(new URL('./peer-helpers.js', import.meta.url));

/** A registered user whose page has the PEER helper object (peer-helpers.js); returns the user and its id. */
export async function peerUser(env: Pick<E2EEnv, 'user'>, name: string): Promise<{ user: User; id: string }> {
  const user = await env.user(name);
  const id = await user.page.evaluate(() => E2E.register());
  await user.page.addScriptTag({ path: helpers });
  return { user, id };
}
