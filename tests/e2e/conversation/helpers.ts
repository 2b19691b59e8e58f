import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { waitInPage, type E2EEnv, type User } from '../harness/index.js';

export const CONV_PAGE = readFileSync(fileURLToPath(new URL('./conv-page.js', import.meta.url)), 'utf8');

/** A registered user (register `info` optional) whose page has the CONV helper; returns the user and its id. */
export async function convUser(env: Pick<E2EEnv, 'user'>, name: string, info?: object): Promise<{ user: User; id: string }> {
  const user = await env.user(name);
  await user.page.evaluate(CONV_PAGE);
  const id = await user.page.evaluate((i) => E2E.register(i), info);
  return { user, id };
}

/** Joins `room` (with options) and returns the join result. */
export function join(user: User, room: string, opts?: object): Promise<unknown> {
  return user.page.evaluate(([r, o]) => CONV.join(r, o), [room, opts ?? {}] as const);
}

/** Waits until the user's video decodes: framesDecoded rises across two reads. */
export async function waitDecoding(user: User, what: string): Promise<void> {
  const first = await user.page.evaluate(() => CONV.inbound());
  await waitInPage(
    user,
    `${what}: inbound video framesDecoded rising above ${first.framesDecoded}`,
    async (base: number) => (await CONV.inbound()).framesDecoded > base,
    first.framesDecoded,
    20_000,
  );
}

/** Waits for `count` announced remote streams and returns their ids. */
export async function waitRemoteStreams(user: User, count: number): Promise<number[]> {
  await waitInPage(user, `${count} remote stream(s) announced`, (n: number) => CONV.remoteIds().length >= n, count);
  return user.page.evaluate(() => CONV.remoteIds() as number[]);
}

/** Waits for an announced remote stream (isRemote) and returns the id of the first one. */
export async function waitRemoteStream(user: User): Promise<number> {
  const ids = await waitRemoteStreams(user, 1);
  const first = ids[0];
  if (first === undefined) throw new Error(`${user.name}: no remote stream`);
  return first;
}

/** Subscribes and checks the streamAdded identity. */
export async function subscribe(user: User, id: number, opts?: object): Promise<void> {
  const r = await user.page.evaluate(([i, o]) => CONV.subscribe(i, o), [id, opts ?? {}] as const);
  expect(r).toEqual({ streamId: id, sameAsAdded: true, isRemote: true });
}
