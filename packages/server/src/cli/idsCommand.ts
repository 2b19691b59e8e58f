import { UserId } from '@parley/protocol';
import type { ApiKeyStore } from '../auth/ApiKeyStore.js';
import { ApiKeyError } from '../auth/ApiKeyError.js';
import { ReservedUserIds } from '../auth/ReservedUserIds.js';
import type { Database } from '../storage/Database.js';
import type { CliIo } from './runCli.js';
import { UsageError } from './UsageError.js';

/**
 * `parley ids list|reserve|release KEY [ID...]`: the ids reserved for identified users of a key
 * (docs/operations.md § User ids). Reserving ahead closes the window in which an anonymous user
 * of a key with chosen ids could hold the id of an identified user who never registered yet.
 */
export function idsCommand(db: Database, keys: ApiKeyStore, sub: string | undefined, rest: string[], json: boolean, io: Pick<CliIo, 'stdout'>): number {
  const [key, ...ids] = rest;
  if (sub === undefined) throw new UsageError('ids needs a subcommand: list, reserve or release');
  if (sub !== 'list' && sub !== 'reserve' && sub !== 'release') throw new UsageError(`unknown ids subcommand '${sub}'`);
  if (key === undefined) throw new UsageError(`ids ${sub} needs a KEY`);
  if (!keys.get(key)) throw new ApiKeyError('API_KEY_NOT_FOUND', `unknown apiKey ${key}`);
  const reserved = new ReservedUserIds(db);
  if (sub === 'list') {
    if (ids.length > 0) throw new UsageError(`unexpected argument '${ids[0]}'`);
    const list = reserved.list(key);
    io.stdout(json ? JSON.stringify(list) + '\n' : list.map((id) => id + '\n').join(''));
    return 0;
  }
  if (ids.length === 0) throw new UsageError(`ids ${sub} needs at least one ID`);
  for (const id of ids) if (!UserId.safeParse(id).success) throw new UsageError(`invalid id '${id}': 1-${UserId.maxLength ?? '?'} characters`);
  for (const id of ids) {
    if (sub === 'reserve') reserved.reserve(key, id);
    else if (!reserved.release(key, id)) io.stdout(`id ${id} was not reserved\n`);
  }
  io.stdout(`${ids.length} id(s) ${sub === 'reserve' ? 'reserved' : 'released'} for apiKey ${key}\n`);
  return 0;
}
