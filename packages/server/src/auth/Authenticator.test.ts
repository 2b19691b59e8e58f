import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionRegistry } from '../session/SessionRegistry.js';
import { UserSession } from '../session/UserSession.js';
import { Database } from '../storage/Database.js';
import { ApiKeyStore } from './ApiKeyStore.js';
import { Authenticator } from './Authenticator.js';
import { mintToken } from './mintToken.js';
import { ReservedUserIds } from './ReservedUserIds.js';
import { TokenVerifier } from './TokenVerifier.js';

const limits = { replayEvents: 16, replayChars: 10_000, answerCache: 8 };

let db: Database;
let keys: ApiKeyStore;
let registry: SessionRegistry;
let reserved: ReservedUserIds;
let auth: Authenticator;

beforeEach(() => {
  db = Database.open(mkdtempSync(join(tmpdir(), 'parley-auth-')));
  keys = new ApiKeyStore(db);
  registry = new SessionRegistry();
  reserved = new ReservedUserIds(db);
  auth = new Authenticator(keys, new TokenVerifier(), registry, reserved);
  keys.create({ key: 'plain' });
  keys.create({ key: 'chooser', allowChosenIds: true });
});
afterEach(() => db.close());

/** Authenticates and admits like SessionManager does, and adds the session; returns its id. */
async function register(apiKey: string, userId?: string, token?: string): Promise<string> {
  const identity = await auth.authenticate({ apiKey, ...(userId !== undefined ? { userId } : {}), ...(token !== undefined ? { token } : {}) }, undefined);
  const { userId: id, replaces } = auth.admit(identity);
  if (replaces) registry.remove(replaces);
  registry.add(new UserSession({ apiKey, userId: id, identified: identity.identified, resumeToken: `t-${apiKey}-${id}`, contactJson: '{}', limits }));
  return id;
}

const tokenFor = async (apiKey: string, userId: string): Promise<string> => mintToken(keys.get(apiKey)!, { userId });

describe('Authenticator: which id a session gets', () => {
  it('anonymous users of a key without chosen ids get a server-assigned id, whatever they ask for', async () => {
    const id = await register('plain', 'alice');
    expect(id).not.toBe('alice');
    expect(id).toMatch(/^[1-9][0-9]{6,8}$/);
  });

  it('an assigned id comes with a ticket that gets it back, and only it', async () => {
    const first = auth.admit(await auth.authenticate({ apiKey: 'plain' }, undefined));
    expect(first.idTicket).toEqual(expect.any(String));
    const back = await auth.authenticate({ apiKey: 'plain', userId: first.userId, idTicket: first.idTicket }, undefined);
    expect(back.userId).toBe(first.userId);
    const stolen = await auth.authenticate({ apiKey: 'plain', userId: 'alice', idTicket: first.idTicket }, undefined);
    expect(stolen.userId).toBeUndefined();
    // Tickets are per key (HMAC with the key's secret).
    const elsewhere = await auth.authenticate({ apiKey: 'chooser', userId: first.userId, idTicket: first.idTicket }, undefined);
    expect(auth.admit(elsewhere).idTicket).toBeUndefined();
  });

  it('a key with chosen ids honours the anonymous request, once', async () => {
    expect(await register('chooser', 'alice')).toBe('alice');
    await expect(register('chooser', 'alice')).rejects.toMatchObject({ code: 5, message: 'id alice is already in use' });
  });

  it('an id an identified user registered with is reserved: anonymous users can never take it, even after that user left', async () => {
    expect(await register('chooser', 'bob', await tokenFor('chooser', 'bob'))).toBe('bob');
    expect(reserved.has('chooser', 'bob')).toBe(true);
    registry.remove(registry.get('chooser', 'bob')!);
    await expect(register('chooser', 'bob')).rejects.toMatchObject({ code: 5, message: 'id bob is reserved for an identified user' });
    // Reservations are per key.
    expect(reserved.has('plain', 'bob')).toBe(false);
  });

  it('an identified user replaces an anonymous holder of its id', async () => {
    expect(await register('chooser', 'carol')).toBe('carol');
    const identity = await auth.authenticate({ apiKey: 'chooser', userId: 'carol', token: await tokenFor('chooser', 'carol') }, undefined);
    const admission = auth.admit(identity);
    expect(admission.userId).toBe('carol');
    expect(admission.replaces?.identified).toBe(false);
  });
});
